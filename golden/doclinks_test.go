package golden

import (
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"unicode"
)

// TestDocLinks checks every relative link of the repository's Markdown
// pages (README.md and the pages it links to): the file it names exists,
// and its #anchor, when it has one, is a heading of that page as GitHub
// makes anchors of headings. Links to other sites are not followed.
func TestDocLinks(t *testing.T) {
	root := ".."
	var pages []string
	err := filepath.WalkDir(root, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() && (d.Name() == ".git" || d.Name() == "testdata" || d.Name() == "target") {
			return filepath.SkipDir
		}
		if !d.IsDir() && strings.HasSuffix(p, ".md") {
			pages = append(pages, p)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if len(pages) < 2 {
		t.Fatalf("found %d Markdown pages under %s; expected README.md and the pages it links to", len(pages), root)
	}
	anchors := map[string]map[string]bool{}
	anchorsOf := func(p string) (map[string]bool, error) {
		if a, ok := anchors[p]; ok {
			return a, nil
		}
		b, err := os.ReadFile(p)
		if err != nil {
			return nil, err
		}
		a := headingAnchors(string(b))
		anchors[p] = a
		return a, nil
	}
	links := 0
	for _, page := range pages {
		b, err := os.ReadFile(page)
		if err != nil {
			t.Fatal(err)
		}
		for _, l := range relativeLinks(string(b)) {
			links++
			target, anchor, _ := strings.Cut(l.dest, "#")
			file := page
			if target != "" {
				file = filepath.Join(filepath.Dir(page), filepath.FromSlash(target))
			}
			st, err := os.Stat(file)
			if err != nil {
				t.Errorf("%s:%d: link %q: %s does not exist", page, l.line, l.dest, file)
				continue
			}
			if anchor == "" {
				continue
			}
			if st.IsDir() || !strings.HasSuffix(file, ".md") {
				t.Errorf("%s:%d: link %q: an anchor into %s, which is not a Markdown page", page, l.line, l.dest, file)
				continue
			}
			a, err := anchorsOf(file)
			if err != nil {
				t.Fatal(err)
			}
			if !a[anchor] {
				t.Errorf("%s:%d: link %q: %s has no heading with anchor #%s", page, l.line, l.dest, file, anchor)
			}
		}
	}
	if links == 0 {
		t.Fatal("no relative links found: the link parser is broken")
	}
}

// TestDocLinksParser checks the link checker's own parts on a page with a
// link in a code block, an inline code span, a link to another site and
// headings that need GitHub's anchor rules.
func TestDocLinksParser(t *testing.T) {
	page := "# Title\n" +
		"See [a](b.md#json-output---json-schema-version-1) and [c](#cargos-json-messages).\n" +
		"`[not](a-link.md)` and [site](https://example.org/x.md)\n" +
		"```sh\n# not a heading\n[nor](this.md)\n```\n" +
		"## JSON output (`--json`), schema version 1\n" +
		"## Cargo's JSON messages\n" +
		"## Cargo's JSON messages\n"
	var got []string
	for _, l := range relativeLinks(page) {
		got = append(got, l.dest)
	}
	if want := []string{"b.md#json-output---json-schema-version-1", "#cargos-json-messages"}; strings.Join(got, " ") != strings.Join(want, " ") {
		t.Errorf("relativeLinks = %q, want %q", got, want)
	}
	a := headingAnchors(page)
	for _, want := range []string{"title", "json-output---json-schema-version-1", "cargos-json-messages", "cargos-json-messages-1"} {
		if !a[want] {
			t.Errorf("headingAnchors lacks %q: %v", want, a)
		}
	}
	if a["not-a-heading"] {
		t.Errorf("headingAnchors took a comment in a code block for a heading: %v", a)
	}
}

type docLink struct {
	dest string
	line int
}

var (
	mdLink    = regexp.MustCompile(`\[[^\]]*\]\(([^)\s]+)\)`)
	codeSpan  = regexp.MustCompile("`[^`]*`")
	mdHeading = regexp.MustCompile(`^#{1,6}\s+(.*?)\s*#*\s*$`)
)

// relativeLinks returns the destinations of the inline links of a
// Markdown page that point into the repository, outside code blocks and
// code spans.
func relativeLinks(page string) []docLink {
	var out []docLink
	for i, line := range proseLines(page) {
		if line == "" {
			continue
		}
		for _, m := range mdLink.FindAllStringSubmatch(codeSpan.ReplaceAllString(line, ""), -1) {
			d := m[1]
			if strings.Contains(d, "://") || strings.HasPrefix(d, "mailto:") {
				continue
			}
			out = append(out, docLink{dest: d, line: i + 1})
		}
	}
	return out
}

// headingAnchors returns the anchors GitHub gives a page's headings:
// lower case, punctuation other than `-` and `_` dropped, spaces made
// `-`, and `-1`, `-2`... after a repeated one.
func headingAnchors(page string) map[string]bool {
	out := map[string]bool{}
	seen := map[string]int{}
	for _, line := range proseLines(page) {
		m := mdHeading.FindStringSubmatch(line)
		if m == nil {
			continue
		}
		var b strings.Builder
		for _, r := range strings.ToLower(m[1]) {
			switch {
			case r == ' ':
				b.WriteByte('-')
			case r == '-' || r == '_' || unicode.IsLetter(r) || unicode.IsDigit(r):
				b.WriteRune(r)
			}
		}
		a := b.String()
		if n := seen[a]; n > 0 {
			out[a+"-"+strconv.Itoa(n)] = true
		} else {
			out[a] = true
		}
		seen[a]++
	}
	return out
}

// proseLines returns the page's lines with those of fenced code blocks
// and indented code blocks blanked, so that line numbers stay.
func proseLines(page string) []string {
	lines := strings.Split(page, "\n")
	fence := ""
	for i, l := range lines {
		t := strings.TrimLeft(l, " ")
		switch {
		case fence != "":
			if strings.HasPrefix(t, fence) {
				fence = ""
			}
			lines[i] = ""
		case strings.HasPrefix(t, "```") || strings.HasPrefix(t, "~~~"):
			fence = t[:3]
			lines[i] = ""
		case strings.HasPrefix(l, "    ") || strings.HasPrefix(l, "\t"):
			lines[i] = "" // an indented code block (or a list item's continuation, which holds no heading)
		}
	}
	return lines
}
