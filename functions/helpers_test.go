package functions

// eps is the unit round-off of float64, 2⁻⁵², which the tests' error
// bounds are written in.
const eps = 0x1p-52
