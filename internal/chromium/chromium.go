// Package chromium is the one headless Chromium policysite prints with:
// classroom posters now, policy PDFs later. One browser serves a whole
// build, in up to Tabs tabs at once, because starting Chromium costs more
// than printing a page (see BenchmarkPosterPDFs in internal/build). It knows
// nothing of posters: a caller gives the page, the sheet, a script that
// measures the page, and whether to print it.
package chromium

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"os"
	"os/exec"
	"sync"
	"time"

	"github.com/chromedp/cdproto/cdp"
	"github.com/chromedp/cdproto/css"
	"github.com/chromedp/cdproto/dom"
	"github.com/chromedp/cdproto/emulation"
	"github.com/chromedp/cdproto/page"
	"github.com/chromedp/chromedp"
)

// chromiumNames are the commands Chromium goes by, in the order they are
// tried when CHROMIUM is not set.
var chromiumNames = []string{"chromium", "chromium-browser", "google-chrome-stable", "google-chrome", "chrome", "headless_shell"}

// Find returns the path of the browser to print with: $CHROMIUM when
// set (a path or a command name), else the first of the usual names on PATH.
func Find() (string, error) {
	if c := os.Getenv("CHROMIUM"); c != "" {
		p, err := exec.LookPath(c)
		if err != nil {
			return "", fmt.Errorf("CHROMIUM is %s, which is not a program that can be run (%v)", c, err)
		}
		return p, nil
	}
	for _, n := range chromiumNames {
		if p, err := exec.LookPath(n); err == nil {
			return p, nil
		}
	}
	return "", errors.New("no Chromium found (install chromium, or set CHROMIUM to the path of a Chromium or Chrome)")
}

// Browser is one headless Chromium that prints pages, in up to Tabs tabs at
// once.
type Browser struct {
	ctx    context.Context // the first tab, which the browser lives as long as
	cancel []context.CancelFunc
	out    syncBuffer
	tabs   chan context.Context // idle tabs
	mu     sync.Mutex
	opened int
}

// Tabs is how many pages one browser prints at the same time: a page
// mostly waits on its files and on the browser's other processes, so two
// tabs keep two cores busy.
const Tabs = 2

// Start starts Chromium at execPath (see Find) and opens its first tab.
// Close it when done.
func Start(execPath string) (*Browser, error) {
	b := &Browser{tabs: make(chan context.Context, Tabs)}
	opts := append(chromedp.DefaultExecAllocatorOptions[:],
		chromedp.ExecPath(execPath),
		chromedp.Headless,
		chromedp.NoSandbox, // the pages are the school's own, served from this machine
		chromedp.DisableGPU,
		chromedp.NoFirstRun,
		chromedp.Flag("disable-background-networking", true),
		chromedp.Flag("disable-component-update", true),
		chromedp.Flag("disable-sync", true),
		chromedp.Flag("disable-extensions", true),
		chromedp.Flag("font-render-hinting", "none"), // the same glyph shapes on screen and in the PDF
		chromedp.CombinedOutput(&b.out),
	)
	alloc, cancelAlloc := chromedp.NewExecAllocator(context.Background(), opts...)
	b.cancel = append(b.cancel, cancelAlloc)
	ctx, cancelTab := chromedp.NewContext(alloc)
	b.cancel = append(b.cancel, cancelTab)
	b.ctx = ctx
	// The first action starts the browser, which then lives as long as the
	// context of that action: so not a context with a timeout, but a timer
	// that ends the browser when it takes too long to start.
	timer := time.AfterFunc(30*time.Second, cancelAlloc)
	err := chromedp.Do(ctx)
	timer.Stop()
	if err != nil {
		out := b.out.String()
		b.Close()
		return nil, fmt.Errorf("starting %s failed: %v%s", execPath, err, indent(tail(out, 800)))
	}
	b.tabs <- ctx
	b.opened = 1
	return b, nil
}

// tab returns an idle tab, opening a new one while fewer than Tabs are open.
func (b *Browser) tab(ctx context.Context) (context.Context, error) {
	select {
	case t := <-b.tabs:
		return t, nil
	default:
	}
	b.mu.Lock()
	if b.opened < Tabs {
		b.opened++
		b.mu.Unlock()
		t, cancel := chromedp.NewContext(b.ctx)
		b.mu.Lock()
		b.cancel = append(b.cancel, cancel)
		b.mu.Unlock()
		if err := chromedp.Do(t); err != nil {
			return nil, fmt.Errorf("opening a tab: %w", err)
		}
		return t, nil
	}
	b.mu.Unlock()
	select {
	case t := <-b.tabs:
		return t, nil
	case <-ctx.Done():
		return nil, ctx.Err()
	}
}

// Close ends the browser.
func (b *Browser) Close() {
	b.mu.Lock()
	defer b.mu.Unlock()
	for i := len(b.cancel) - 1; i >= 0; i-- {
		b.cancel[i]()
	}
	b.cancel = nil
}

// Job is one page to print.
type Job struct {
	URL string
	// WidthMM and HeightMM are the sheet's size: the window is made that
	// size, with print media emulated, so the layout is the printed one and
	// a preview is the whole sheet.
	WidthMM, HeightMM float64
	// Measure is JavaScript evaluated once the page has loaded (a promise is
	// awaited); its JSON result is Printed.Measure.
	Measure string
	// Print looks at the measure and says whether to make the PDF and the
	// preview: a page that does not fit its sheet is not printed.
	Print func(measure json.RawMessage) bool
	// PreviewWidth is the width in pixels of the PNG preview.
	PreviewWidth float64
	// FontOf, when set, is a CSS selector: for a page that is not printed,
	// Printed.Font is the family most of that element's letters were drawn in
	// (the same page fits with one font and not with a wider one).
	FontOf string
}

// Printed is what one page looked like in the browser, and the files made
// from it.
type Printed struct {
	Measure json.RawMessage
	PDF     []byte // nil when not printed
	Preview []byte // PNG, PreviewWidth wide; nil when not printed
	Font    string
}

// Print loads job.URL in an idle tab, measures it, and prints it unless
// job.Print says no.
func (b *Browser) Print(ctx context.Context, job Job) (*Printed, error) {
	url := job.URL
	widthMM, heightMM := job.WidthMM, job.HeightMM
	t, err := b.tab(ctx)
	if err != nil {
		return nil, b.err(ctx, "loading "+url, err)
	}
	defer func() { b.tabs <- t }()
	// The tab's context, bounded by ctx.
	tab, cancel := context.WithCancel(t)
	defer cancel()
	stop := context.AfterFunc(ctx, cancel)
	defer stop()

	// Print media for the layout and the preview: the toolbar is hidden and
	// the sheet sits at the top left, as on paper.
	px := func(mm float64) int64 { return int64(math.Ceil(mm / 25.4 * 96)) }
	setup := chromedp.Func(func(ctx context.Context, t *chromedp.Target) error {
		if _, err := cdp.Call(ctx, t, emulation.SetDeviceMetricsOverride, emulation.SetDeviceMetricsOverrideParams{
			Width: px(widthMM), Height: px(heightMM), DeviceScaleFactor: 1,
		}); err != nil {
			return err
		}
		_, err := cdp.Call(ctx, t, emulation.SetEmulatedMedia, emulation.SetEmulatedMediaParams{Media: "print"})
		return err
	})
	if err := chromedp.Do(tab, setup, chromedp.Navigate(url)); err != nil {
		return nil, b.err(ctx, "loading "+url, err)
	}
	m, err := chromedp.Run(tab, chromedp.Evaluate[json.RawMessage](job.Measure, chromedp.EvalAwaitPromise))
	if err != nil {
		return nil, b.err(ctx, "measuring "+url, err)
	}
	out := &Printed{Measure: m}
	if !job.Print(m) {
		if job.FontOf != "" {
			// Best effort: the caller's message is clear without the font's name.
			out.Font, _ = chromedp.Run(tab, chromedp.Action[string](func(ctx context.Context, t *chromedp.Target) (string, error) {
				return fontOf(ctx, t, job.FontOf)
			}))
		}
		return out, nil
	}

	w, h := float64(px(widthMM)), float64(px(heightMM))
	shot := func(ctx context.Context, t *chromedp.Target) ([]byte, error) {
		res, err := cdp.Call(ctx, t, page.CaptureScreenshot, page.CaptureScreenshotParams{
			Format: page.CaptureScreenshotFormatPng,
			// The window is the sheet's size, so the sheet is all in view.
			Clip: &page.Viewport{X: 0, Y: 0, Width: w, Height: h, Scale: job.PreviewWidth / w},
		})
		return res.Data, err
	}
	if out.Preview, err = chromedp.Run(tab, shot); err != nil {
		return nil, b.err(ctx, "taking the preview of "+url, err)
	}
	out.PDF, err = chromedp.Run(tab, chromedp.PrintToPDF(
		chromedp.PDFPreferCSSPageSize(), // the page's @page size and orientation
		chromedp.PDFMargin(0),
		chromedp.PDFPrintBackground(),
		chromedp.PDFOutlineAndTagged(),
	))
	if err != nil {
		return nil, b.err(ctx, "printing "+url, err)
	}
	if !bytes.HasPrefix(out.PDF, []byte("%PDF-")) {
		return nil, fmt.Errorf("printing %s: the browser returned something that is not a PDF", url)
	}
	return out, nil
}

// fontOf returns the family of the installed font that most of the letters
// of the first element matching selector were drawn in.
func fontOf(ctx context.Context, t *chromedp.Target, selector string) (string, error) {
	if _, err := cdp.Call(ctx, t, dom.Enable, dom.EnableParams{}); err != nil {
		return "", err
	}
	if _, err := cdp.Call(ctx, t, css.Enable, cdp.Empty{}); err != nil {
		return "", err
	}
	doc, err := cdp.Call(ctx, t, dom.GetDocument, dom.GetDocumentParams{})
	if err != nil {
		return "", err
	}
	n, err := cdp.Call(ctx, t, dom.QuerySelector, dom.QuerySelectorParams{NodeID: doc.Root.NodeID, Selector: selector})
	if err != nil || n.NodeID == 0 {
		return "", err
	}
	fonts, err := cdp.Call(ctx, t, css.GetPlatformFontsForNode, css.GetPlatformFontsForNodeParams{NodeID: n.NodeID})
	if err != nil {
		return "", err
	}
	best, most := "", 0.0
	for _, f := range fonts.Fonts {
		if f.GlyphCount > most {
			best, most = f.FamilyName, f.GlyphCount
		}
	}
	return best, nil
}

func (b *Browser) err(ctx context.Context, what string, err error) error {
	if ctx.Err() != nil {
		err = fmt.Errorf("%w (%v)", ctx.Err(), err)
	}
	msg := fmt.Sprintf("%s in Chromium: %v", what, err)
	if out := tail(b.out.String(), 600); out != "" {
		msg += "\nChromium said:" + indent(out)
	}
	return errors.New(msg)
}

// syncBuffer collects the browser's output, which it writes from another
// goroutine.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

func tail(s string, n int) string {
	s = string(bytes.TrimSpace([]byte(s)))
	if len(s) <= n {
		return s
	}
	return "…" + s[len(s)-n:]
}

func indent(s string) string {
	if s == "" {
		return ""
	}
	return "\n    " + string(bytes.ReplaceAll([]byte(s), []byte("\n"), []byte("\n    ")))
}
