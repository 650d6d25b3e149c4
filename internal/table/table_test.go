package table

import (
	"strings"
	"testing"
)

func TestRender(t *testing.T) {
	tb := Table{Columns: []Column{
		{Name: "package"}, {Name: "what it checks", MarkdownOnly: true},
		{Name: "new interesting", Short: "new", Right: true}, {Name: "verdict"},
	}}
	tb.Add(Code("example.com/a"), Plain("a | b\nc"), Plain("12"), Plain("pass"))
	tb.Add(Code("example.com/long/b"), Plain(""), Plain("3"), Strong("fail"))
	var text, md strings.Builder
	if err := tb.WriteText(&text); err != nil {
		t.Fatal(err)
	}
	if err := tb.WriteMarkdown(&md); err != nil {
		t.Fatal(err)
	}
	wantText := "PACKAGE             NEW  VERDICT\n" +
		"example.com/a       12   pass\n" +
		"example.com/long/b  3    fail\n"
	wantMD := "| package | what it checks | new interesting | verdict |\n" +
		"|---|---|--:|---|\n" +
		"| `example.com/a` | a \\| b c | 12 | pass |\n" +
		"| `example.com/long/b` |  | 3 | **fail** |\n"
	if text.String() != wantText {
		t.Errorf("text:\n%s\nwant:\n%s", text.String(), wantText)
	}
	if md.String() != wantMD {
		t.Errorf("Markdown:\n%s\nwant:\n%s", md.String(), wantMD)
	}
}

func TestAddWrongWidth(t *testing.T) {
	defer func() {
		if r := recover(); r == nil || !strings.HasPrefix(r.(string), "table: ") {
			t.Errorf("panic %v, want a table: message", r)
		}
	}()
	tb := Table{Columns: []Column{{Name: "a"}, {Name: "b"}}}
	tb.Add(Plain("x"))
}
