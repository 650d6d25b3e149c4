#!/bin/bash -eu
# Builds every native fuzz target of this module as a libFuzzer binary in
# $OUT, with compile_native_go_fuzzer, for ClusterFuzzLite and OSS-Fuzz
# (docs/FUZZING.md). Run in the module's root ($SRC/gradcheck). Each target
# FuzzX gets $OUT/FuzzX (package-qualified if two packages share the name)
# and, when its package has testdata/fuzz/FuzzX, a seed corpus
# $OUT/FuzzX_seed_corpus.zip converted to libFuzzer's bytes.
#
# The targets are those go test -list '^Fuzz' lists in the module's
# packages (go list ./...) whose test files start a line with "func Fuzz":
# the discovery of .ci/libfuzzer, which runs the same build without Docker.

# go-118-fuzz-build's stand-in for package testing must resolve in this
# module: the version .ci/libfuzzer is checked against.
go get github.com/AdamKorcz/go-118-fuzz-build/testing@v0.0.0-20250520111509-a70c2aa677fa

list_targets() {
	local pkgs listed
	pkgs=$(go list -f '{{.ImportPath}}' ./... | while read -r pkg; do
		dir=$(go list -f '{{.Dir}}' "$pkg")
		if grep -qs '^func Fuzz' "$dir"/*_test.go; then echo "$pkg"; fi
	done)
	[ -n "$pkgs" ] || return 0
	# shellcheck disable=SC2086 # one argument per import path
	listed=$(go test -list '^Fuzz' $pkgs)
	echo "$listed" | awk '/^Fuzz/ { names[++n] = $1; next }
		/^ok[ \t]/ { for (i = 1; i <= n; i++) print $2 " " names[i]; n = 0 }' | sort
}

go build -o "$WORK/corpuscmd" ./internal/libfuzz/corpuscmd
seen=" "
list_targets | while read -r pkg name; do
	fuzzer=$name
	case $seen in *" $name "*) fuzzer="$(basename "$pkg")_$name" ;; esac
	seen="$seen$name "
	compile_native_go_fuzzer "$pkg" "$name" "$fuzzer"
	dir=$(go list -f '{{.Dir}}' "$pkg")
	if [ -d "$dir/testdata/fuzz/$name" ] && command -v zip >/dev/null; then
		rm -rf "$WORK/seeds/$fuzzer"
		"$WORK/corpuscmd" seeds -dir "$dir" -func "$name" -out "$WORK/seeds/$fuzzer"
		if [ -n "$(ls -A "$WORK/seeds/$fuzzer")" ]; then
			(cd "$WORK/seeds/$fuzzer" && zip -q -r "$OUT/${fuzzer}_seed_corpus.zip" .)
		fi
	fi
done
