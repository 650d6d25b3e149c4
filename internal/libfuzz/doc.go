// Package libfuzz lets libFuzzer run Go's native fuzz targets beside go test
// -fuzz: it converts inputs between the two engines and reads what a
// libFuzzer run left behind into fuzzreport's report.
//
// OSS-Fuzz, ClusterFuzzLite and the local script .ci/libfuzzer build a
// target FuzzX with go-118-fuzz-build, whose stand-in for package testing
// decodes each libFuzzer input into FuzzX's arguments with go-fuzz-headers'
// consumer. Two formats meet there:
//
//   - Go's corpus file ("go test fuzz v1", then one typed value per line),
//     under a package's testdata/fuzz/FuzzX: ParseCorpusFile and
//     MarshalCorpusFile.
//   - The consumer's raw bytes, libFuzzer's inputs: Encode (a seed for
//     libFuzzer) and Decode (a libFuzzer crash back into Go values, to be
//     written as a corpus file that go test replays).
//
// Decode needs the types of the fuzz function's arguments: ArgTypes reads
// them from the target's source.
//
// ReadRun reads the directory a libFuzzer run wrote (summary.tsv and one
// log per target, see ReadRun) into fuzzdrive Results with the engine
// "libfuzzer", so one fuzzreport report covers both engines.
//
// Command corpuscmd (internal/libfuzz/corpuscmd) converts a target's seeds
// and crashes for .ci/libfuzzer and .clusterfuzzlite/build.sh.
package libfuzz
