package calculus

import _ "embed"

// Source is the text of tasks.go: the reference solutions as the file a
// learner hands in. It imports only gonum's mat, as the lab's scaffold does.
//
//go:embed tasks.go
var Source string
