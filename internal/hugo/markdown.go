package hugo

import (
	"fmt"
	"io"
	"path/filepath"

	"github.com/bep/logg"
	"github.com/gohugoio/hugo/common/loggers"
	"github.com/gohugoio/hugo/config"
	"github.com/gohugoio/hugo/config/allconfig"
	"github.com/gohugoio/hugo/hugofs"
	"github.com/gohugoio/hugo/markup/converter"
	"github.com/gohugoio/hugo/markup/goldmark"
	"github.com/spf13/afero"
	"github.com/yuin/goldmark/ast"
)

// Markdown reads Markdown as the site's Hugo build does: Hugo's own goldmark
// converter with the site's [markup] settings (its extensions, its
// typographer, and the heading ids autoHeadingIDType asks for). check reads
// policies with it, so a heading's id, a link or a list item is what the
// built site has, computed by Hugo and by nothing else.
type Markdown struct {
	conv     converter.Converter
	parse    converter.ParseRenderer
	sanitize converter.AnchorNameSanitizer
}

// NewMarkdown reads the markup settings of the site in siteDir (its
// config.toml; Hugo's defaults where it says nothing).
func NewMarkdown(siteDir string) (*Markdown, error) {
	src, err := filepath.Abs(siteDir)
	if err != nil {
		return nil, err
	}
	cfgFile, err := FindConfig(src)
	if err != nil {
		return nil, err
	}
	m, err := loadMarkdown(hugofs.Os, src, cfgFile)
	if err != nil {
		return nil, fmt.Errorf("reading %s: %s", filepath.Base(cfgFile), relPositions(src, err.Error()))
	}
	return m, nil
}

// DefaultMarkdown is Hugo's Markdown with Hugo's default settings, for a
// site whose config cannot be read (check reports why).
func DefaultMarkdown() *Markdown {
	fs := afero.NewMemMapFs()
	if err := fs.MkdirAll("/site", 0o755); err != nil {
		panic(err)
	}
	m, err := loadMarkdown(fs, "/site", "")
	if err != nil {
		panic(fmt.Sprintf("Hugo's default markup config: %v", err)) // Hugo's own defaults always load
	}
	return m
}

func loadMarkdown(fs afero.Fs, workingDir, cfgFile string) (*Markdown, error) {
	flags := config.New()
	flags.Set("workingDir", workingDir)
	logger := loggers.New(loggers.Options{Level: logg.LevelError, StdOut: io.Discard, StdErr: io.Discard})
	configs, err := allconfig.LoadConfig(allconfig.ConfigSourceDescriptor{
		Flags:    flags,
		Fs:       fs,
		Filename: cfgFile,
		Logger:   logger,
		Environ:  []string{},
	})
	if err != nil {
		return nil, err
	}
	return newMarkdown(configs.GetFirstLanguageConfig(), logger)
}

func newMarkdown(conf config.AllProvider, logger loggers.Logger) (*Markdown, error) {
	p, err := goldmark.Provider.New(converter.ProviderConfig{Conf: conf, Logger: logger})
	if err != nil {
		return nil, err
	}
	conv, err := p.New(converter.DocumentContext{DocumentID: "check"})
	if err != nil {
		return nil, err
	}
	pr, ok := conv.(converter.ParseRenderer)
	if !ok {
		return nil, fmt.Errorf("Hugo's goldmark converter no longer parses without rendering (converter.ParseRenderer)")
	}
	san, ok := conv.(converter.AnchorNameSanitizer)
	if !ok {
		return nil, fmt.Errorf("Hugo's goldmark converter no longer says how it makes heading ids (converter.AnchorNameSanitizer)")
	}
	return &Markdown{conv: conv, parse: pr, sanitize: san}, nil
}

// Parse parses a page body. Each heading node carries the id Hugo gives it
// (its "id" attribute): an explicit {#id}, or one made from its text by the
// site's autoHeadingIDType, with -1, -2 … for repeats on the page. It is safe
// for concurrent use.
func (m *Markdown) Parse(src []byte) ast.Node {
	res, err := m.parse.Parse(converter.RenderContext{Src: src})
	if err != nil {
		return ast.NewDocument() // goldmark's parser does not fail; keep the contract regardless
	}
	return res.Doc().(ast.Node)
}

// AnchorID is the id Hugo makes from a heading's plain text, before any
// -1, -2 for repeats.
func (m *Markdown) AnchorID(text string) string {
	return m.sanitize.SanitizeAnchorName(text)
}
