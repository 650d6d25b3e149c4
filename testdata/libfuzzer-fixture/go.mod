module example.com/libfuzzerfixture

go 1.22
