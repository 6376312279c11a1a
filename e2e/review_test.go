package e2e

import (
	"context"
	"fmt"
	"strings"
	"testing"

	"github.com/chromedp/cdproto/page"
	"github.com/chromedp/chromedp"
)

// openOn opens path in a tab whose clock says the given day (noon, local
// time), as if a parent read the built site then.
func openOn(t *testing.T, year, month, day int, path string) context.Context {
	t.Helper()
	ctx := tab(t)
	js := fmt.Sprintf(`(() => {
		const fixed = new Date(%d, %d, %d, 12).getTime();
		const D = Date;
		class FixedDate extends D {
			constructor(...a) { if (a.length) { super(...a); } else { super(fixed); } }
			static now() { return fixed; }
		}
		window.Date = FixedDate;
	})()`, year, month-1, day)
	if _, err := chromedp.Call(ctx, page.AddScriptToEvaluateOnNewDocument, page.AddScriptToEvaluateOnNewDocumentParams{Source: js}); err != nil {
		t.Fatalf("setting the tab's clock: %v", err)
	}
	navigate(t, ctx, path)
	return ctx
}

func innerText(t *testing.T, ctx context.Context, selector string) string {
	t.Helper()
	return eval[string](t, ctx, fmt.Sprintf(`(() => { const el = document.querySelector(%q); return el ? el.innerText.replace(/\s+/g, " ").trim() : ""; })()`, selector))
}

// The site is built once and read for months: a policy whose review date
// has passed since the build shows as overdue to the reader, on its page and
// in the governors' schedule, and one coming up says how many days are left
// as of the day it is read.
func TestReviewStateFollowsTheReadersDate(t *testing.T) {
	// Every example policy is due for review before 2030.
	ctx := openOn(t, 2030, 1, 1, "/schedule/")
	rows := eval[int](t, ctx, `document.querySelectorAll(".schedule-table tbody tr").length`)
	overdue := eval[int](t, ctx, `[...document.querySelectorAll(".schedule-table tbody tr")].filter(r => r.innerText.includes("Overdue")).length`)
	if rows < 7 || overdue != rows {
		t.Errorf("schedule read on 1 January 2030: %d of %d policies flagged Overdue, want all", overdue, rows)
	}
	if got := innerText(t, ctx, "#schedule-summary"); !strings.Contains(got, fmt.Sprintf("%d overdue for review", rows)) || !strings.Contains(got, "1 January 2030") {
		t.Errorf("schedule summary read on 1 January 2030: %q, want %d overdue, checked on 1 January 2030", got, rows)
	}

	ctx = openOn(t, 2030, 1, 1, onlineSafety)
	if got := innerText(t, ctx, ".policy-header"); !strings.Contains(got, "Review overdue.") || !strings.Contains(got, "Overdue") {
		t.Errorf("%s read on 1 January 2030: the header says %q, want the review-overdue notice and flag", onlineSafety, got)
	}
	if n := eval[int](t, ctx, `document.querySelectorAll(".policy-header .notice").length`); n != 1 {
		t.Errorf("%s read on 1 January 2030: %d review notices, want 1", onlineSafety, n)
	}

	// Online Safety is due for review on 14 September 2027.
	ctx = openOn(t, 2027, 9, 4, onlineSafety)
	if got := innerText(t, ctx, ".policy-header .notice"); !strings.Contains(got, "Review due soon.") || !strings.Contains(got, "in 10 days") {
		t.Errorf("%s read on 4 September 2027: the notice says %q, want review due soon, in 10 days", onlineSafety, got)
	}
	if got := innerText(t, ctx, ".policy-meta"); !strings.Contains(got, "Due soon") {
		t.Errorf("%s read on 4 September 2027: the metadata says %q, want the Due soon flag", onlineSafety, got)
	}
}
