package poster

import (
	"bytes"
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path"
	"sort"
	"strings"

	"github.com/policysite/policysite"
)

// Icon is one picture a rule (on a poster, or in a policy's list) can start
// with: static/icons/NAME.svg, the built-in theme's or the site's own. The
// SVG file is the icon's only drawing: posters show the file, and pages draw
// Shape inline in the text colour (the build hands every icon to Hugo).
type Icon struct {
	Name    string
	Title   string // the spoken name, the file's <title>
	ViewBox string // of the file's <svg>; "0 0 24 24" for the built-in icons
	Shape   string // the SVG inside the file's <svg> after its <title>
}

// ReadIcons reads the icons a site can use: the built-in theme's
// static/icons/NAME.svg and the site's own static/icons/NAME.svg, which Hugo
// publishes side by side (the site's file wins when both have one). They
// come back sorted by name.
func ReadIcons(siteDir string) ([]Icon, error) {
	byName := map[string]Icon{}
	read := func(fsys fs.FS, where string) error {
		entries, err := fs.ReadDir(fsys, "static/icons")
		if errors.Is(err, fs.ErrNotExist) && where != "the built-in theme" {
			return nil
		}
		if err != nil {
			return fmt.Errorf("reading static/icons of %s: %w", where, err)
		}
		for _, e := range entries {
			name, ok := strings.CutSuffix(e.Name(), ".svg")
			if !ok || e.IsDir() || strings.HasPrefix(name, ".") {
				continue
			}
			b, err := fs.ReadFile(fsys, path.Join("static/icons", e.Name()))
			if err != nil {
				return fmt.Errorf("reading static/icons/%s: %w", e.Name(), err)
			}
			icon, err := parseIcon(name, b)
			if err != nil {
				return fmt.Errorf("static/icons/%s of %s is not an SVG picture (%v): save it again as SVG", e.Name(), where, err)
			}
			byName[name] = icon
		}
		return nil
	}
	if err := read(policysite.Theme, "the built-in theme"); err != nil {
		return nil, err
	}
	if err := read(os.DirFS(siteDir), "the site"); err != nil {
		return nil, err
	}
	icons := make([]Icon, 0, len(byName))
	for _, ic := range byName {
		icons = append(icons, ic)
	}
	sort.Slice(icons, func(i, j int) bool { return icons[i].Name < icons[j].Name })
	return icons, nil
}

// Icons lists the names of the icons a site can use (see ReadIcons).
func Icons(siteDir string) ([]string, error) {
	icons, err := ReadIcons(siteDir)
	if err != nil {
		return nil, err
	}
	return iconNames(icons), nil
}

func iconNames(icons []Icon) []string {
	names := make([]string, len(icons))
	for i, ic := range icons {
		names[i] = ic.Name
	}
	return names
}

// parseIcon reads an SVG file: its root <svg>'s viewBox, its <title>, and
// the markup after the title (or after the <svg> start tag, without one).
func parseIcon(name string, src []byte) (Icon, error) {
	icon := Icon{Name: name, ViewBox: "0 0 24 24"}
	d := xml.NewDecoder(bytes.NewReader(src))
	depth, shapeStart := 0, -1
	inTitle := false
	for {
		off := int(d.InputOffset())
		tok, err := d.Token()
		if err == io.EOF {
			return icon, errors.New("the file ends before </svg>")
		}
		if err != nil {
			return icon, err
		}
		switch t := tok.(type) {
		case xml.StartElement:
			depth++
			switch {
			case depth == 1 && t.Name.Local != "svg":
				return icon, fmt.Errorf("it starts with <%s>, not <svg>", t.Name.Local)
			case depth == 1:
				for _, a := range t.Attr {
					if a.Name.Local == "viewBox" {
						icon.ViewBox = a.Value
					}
				}
				shapeStart = int(d.InputOffset())
			case depth == 2 && t.Name.Local == "title" && icon.Title == "":
				inTitle = true
			}
		case xml.CharData:
			if inTitle {
				icon.Title += string(t)
			}
		case xml.EndElement:
			depth--
			switch {
			case inTitle && depth == 1:
				inTitle = false
				shapeStart = int(d.InputOffset())
			case depth == 0:
				icon.Shape = strings.TrimSpace(string(src[shapeStart:off]))
				icon.Title = strings.TrimSpace(icon.Title)
				return icon, nil
			}
		}
	}
}
