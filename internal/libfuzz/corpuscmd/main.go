// Command corpuscmd converts fuzz inputs between go test and libFuzzer for
// the script .ci/libfuzzer:
//
//	corpuscmd seeds -dir pkgdir -func FuzzX -out dir
//	corpuscmd crash -dir pkgdir -func FuzzX input
//
// seeds writes each file of pkgdir/testdata/fuzz/FuzzX, in Go's corpus
// format, to dir as the raw bytes go-118-fuzz-build decodes to the same
// arguments (a file that cannot be converted is skipped, with a message).
// crash decodes a libFuzzer input into FuzzX's arguments, writes them in
// Go's format to pkgdir/testdata/fuzz/FuzzX/<first 16 hex digits of their
// SHA-256> and prints that path: go test -run 'FuzzX/<name>' replays it.
package main

import (
	"crypto/sha256"
	"flag"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"

	"github.com/gradcheck/gradcheck/internal/libfuzz"
)

func main() {
	if len(os.Args) < 2 || os.Args[1] != "seeds" && os.Args[1] != "crash" {
		fmt.Fprintln(os.Stderr, "usage: corpuscmd seeds -dir pkgdir -func FuzzX -out dir | crash -dir pkgdir -func FuzzX input")
		os.Exit(2)
	}
	fs := flag.NewFlagSet(os.Args[1], flag.ExitOnError)
	dir := fs.String("dir", ".", "the package's `folder`")
	target := fs.String("func", "", "the fuzz target's `name`")
	out := fs.String("out", "", "the `folder` for libFuzzer's seeds")
	fs.Parse(os.Args[2:])
	if *target == "" {
		fmt.Fprintln(os.Stderr, "corpuscmd: -func is required")
		os.Exit(2)
	}
	var err error
	if os.Args[1] == "seeds" {
		err = seeds(*dir, *target, *out)
	} else if fs.NArg() != 1 {
		err = fmt.Errorf("crash takes one input file, got %d", fs.NArg())
	} else {
		err = crash(*dir, *target, fs.Arg(0))
	}
	if err != nil {
		fmt.Fprintf(os.Stderr, "corpuscmd %s %s: %v\n", os.Args[1], *target, err)
		os.Exit(1)
	}
}

// seeds converts the package's Go corpus of target into libFuzzer seeds.
func seeds(dir, target, out string) error {
	if out == "" {
		return fmt.Errorf("-out is required")
	}
	if err := os.MkdirAll(out, 0o755); err != nil {
		return err
	}
	files, _ := filepath.Glob(filepath.Join(dir, "testdata", "fuzz", target, "*"))
	n := 0
	for _, f := range files {
		vals, err := readCorpusFile(f)
		if err == nil {
			var raw []byte
			if raw, err = libfuzz.Encode(vals...); err == nil {
				err = os.WriteFile(filepath.Join(out, filepath.Base(f)), raw, 0o644)
			}
		}
		if err != nil {
			fmt.Fprintf(os.Stderr, "corpuscmd seeds %s: skipping %s: %v\n", target, f, err)
			continue
		}
		n++
	}
	fmt.Printf("%d of %d seeds\n", n, len(files))
	return nil
}

// crash writes a libFuzzer input as a Go corpus file of target.
func crash(dir, target, input string) error {
	raw, err := os.ReadFile(input)
	if err != nil {
		return err
	}
	types, err := libfuzz.ArgTypes(dir, target, func(path string) (string, error) {
		cmd := exec.Command("go", "list", "-f", "{{.Dir}}", path)
		cmd.Dir = dir
		b, err := cmd.Output()
		return strings.TrimSpace(string(b)), err
	})
	if err != nil {
		// A seed file knows the types too.
		files, _ := filepath.Glob(filepath.Join(dir, "testdata", "fuzz", target, "*"))
		if len(files) == 0 {
			return err
		}
		vals, err2 := readCorpusFile(files[0])
		if err2 != nil {
			return err
		}
		types = types[:0]
		for _, v := range vals {
			types = append(types, fmt.Sprintf("%T", v))
		}
	}
	vals, err := libfuzz.Decode(types, raw)
	if err != nil {
		return err
	}
	b, err := libfuzz.MarshalCorpusFile(vals...)
	if err != nil {
		return err
	}
	path := filepath.Join(dir, "testdata", "fuzz", target, fmt.Sprintf("%x", sha256.Sum256(b))[:16])
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		return err
	}
	if err := os.WriteFile(path, b, 0o644); err != nil {
		return err
	}
	fmt.Println(path)
	return nil
}

func readCorpusFile(path string) ([]any, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	return libfuzz.ParseCorpusFile(b)
}
