package poster

import (
	"bytes"
	"context"
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

// PreviewWidth is the width in pixels of a poster's preview image.
const PreviewWidth = 480

// chromiumNames are the commands Chromium goes by, in the order they are
// tried when CHROMIUM is not set.
var chromiumNames = []string{"chromium", "chromium-browser", "google-chrome-stable", "google-chrome", "chrome", "headless_shell"}

// FindChromium returns the path of the browser to print with: $CHROMIUM when
// set (a path or a command name), else the first of the usual names on PATH.
func FindChromium() (string, error) {
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

// Browser is one headless Chromium that renders posters, in up to Tabs
// tabs at once.
type Browser struct {
	ctx    context.Context // the first tab, which the browser lives as long as
	cancel []context.CancelFunc
	out    syncBuffer
	tabs   chan context.Context // idle tabs
	mu     sync.Mutex
	opened int
}

// Tabs is how many posters one browser renders at the same time: a page
// mostly waits on its files and on the browser's other processes, so two
// tabs keep two cores busy.
const Tabs = 2

// StartBrowser starts Chromium at execPath and opens the tab posters are
// rendered in. Close it when done.
func StartBrowser(execPath string) (*Browser, error) {
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

// Page is what one poster page looked like in the browser, and the files
// made from it.
type Page struct {
	// Measure is where the rules ended up on the sheet.
	Measure Measure
	PDF     []byte // nil when the rules did not fit
	Preview []byte // PNG, PreviewWidth wide; nil when the rules did not fit
	cached  bool   // from the cache: it fitted when it was rendered
}

// Measure is the layout of a poster page in print, in CSS pixels (1/96 in).
type Measure struct {
	Error  string  `json:"error"`
	Width  float64 `json:"width"`  // of the sheet
	Height float64 `json:"height"` // of the sheet
	// Limit is the bottom of the space for rules: the sheet's bottom less
	// its safe margin.
	Limit float64    `json:"limit"`
	Rules []RuleRect `json:"rules"`
	// Broken lists images (icons, logo) the browser could not load.
	Broken []string `json:"broken"`
	// Wide is true when something is wider than the sheet's safe area.
	Wide      bool   `json:"wide"`
	Direction string `json:"direction"`
	// Font is the family the browser drew the first rule in, asked of it
	// only when the rules do not fit: the same poster fits with one font and
	// not with a wider one, so the error names it.
	Font string `json:"-"`
}

// RuleRect is where one rule is on the sheet.
type RuleRect struct {
	Top    float64 `json:"top"`
	Bottom float64 `json:"bottom"`
	Left   float64 `json:"left"`
	Right  float64 `json:"right"`
	Icon   float64 `json:"icon"` // horizontal centre of the icon
	Text   float64 `json:"text"` // horizontal centre of the text
}

// FirstOverflow is the index of the first rule that does not end inside
// the sheet's safe area, or -1 when all fit.
func (m *Measure) FirstOverflow() int {
	for i, r := range m.Rules {
		if r.Bottom > m.Limit+0.5 {
			return i
		}
	}
	return -1
}

// measureJS waits for fonts and images, then reports the layout of the sheet
// (print media is emulated by then).
const measureJS = `(async () => {
	await document.fonts.ready;
	await Promise.all([...document.images].map(i => i.complete ? null :
		new Promise(r => { i.addEventListener("load", r); i.addEventListener("error", r); })));
	const sheet = document.querySelector("article.poster");
	if (!sheet) return {error: 'the page has no <article class="poster">: is layouts/posters/page.html the poster layout?'};
	const list = sheet.querySelector(".poster-rules");
	const s = sheet.getBoundingClientRect();
	const cs = getComputedStyle(sheet);
	const box = el => el ? el.getBoundingClientRect() : null;
	const mid = r => r ? (r.left + r.right) / 2 : 0;
	const rules = list ? [...list.querySelectorAll(":scope > .poster-rule")].map(li => {
		const r = li.getBoundingClientRect();
		return {top: r.top - s.top, bottom: r.bottom - s.top, left: r.left - s.left, right: r.right - s.left,
			icon: mid(box(li.querySelector(".poster-icon"))) - s.left, text: mid(box(li.querySelector(".poster-text"))) - s.left};
	}) : [];
	return {
		width: s.width, height: s.height,
		limit: s.height - parseFloat(cs.paddingBottom),
		rules,
		broken: [...sheet.querySelectorAll("img")].filter(i => !i.naturalWidth).map(i => i.getAttribute("src")),
		wide: sheet.scrollWidth > sheet.clientWidth + 1 || (list && list.scrollWidth > list.clientWidth + 1),
		direction: cs.direction,
	};
})()`

// Render loads one poster page at url, measures it in print, and unless the
// rules overflow, prints it to PDF and takes its preview image. widthMM and
// heightMM are the sheet's size; the window is made that size, so the
// preview is the whole sheet.
func (b *Browser) Render(ctx context.Context, url string, widthMM, heightMM float64) (*Page, error) {
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
	m, err := chromedp.Run(tab, chromedp.Evaluate[Measure](measureJS, chromedp.EvalAwaitPromise))
	if err != nil {
		return nil, b.err(ctx, "measuring "+url, err)
	}
	out := &Page{Measure: m}
	if m.FirstOverflow() >= 0 && m.Error == "" {
		// Best effort: the error is clear without the font's name.
		out.Measure.Font, _ = chromedp.Run(tab, chromedp.Action[string](firstRuleFont))
	}
	if m.Error != "" || m.FirstOverflow() >= 0 || len(m.Broken) > 0 || m.Wide {
		return out, nil
	}

	shot := func(ctx context.Context, t *chromedp.Target) ([]byte, error) {
		res, err := cdp.Call(ctx, t, page.CaptureScreenshot, page.CaptureScreenshotParams{
			Format: page.CaptureScreenshotFormatPng,
			// The window is the sheet's size, so the sheet is all in view.
			Clip: &page.Viewport{X: 0, Y: 0, Width: m.Width, Height: m.Height, Scale: PreviewWidth / m.Width},
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

// firstRuleFont returns the family of the installed font that most of the
// first rule's letters were drawn in.
func firstRuleFont(ctx context.Context, t *chromedp.Target) (string, error) {
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
	n, err := cdp.Call(ctx, t, dom.QuerySelector, dom.QuerySelectorParams{NodeID: doc.Root.NodeID, Selector: ".poster-rule .poster-text"})
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
