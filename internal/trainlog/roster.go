package trainlog

import (
	"bytes"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"os"
	"strings"
	"time"
	"unicode"

	"github.com/policysite/policysite/internal/school"
	"github.com/policysite/policysite/internal/textenc"
)

// Problem is a finding with a file and line, printed as
// "file:line: error: message": a bad row of the staff list, or (converted
// where trainlog reads them) a problem in a quiz or policy file.
type Problem = school.Finding

// Staff is one row of the roster.
type Staff struct {
	ID        string
	Name      string
	Email     string
	Role      string
	StartDate time.Time // midnight, local time
	Line      int
}

// Roster is the staff list trainlog knows, read from a CSV file with the
// header id,name,email,role,start_date.
type Roster struct {
	File    string
	Staff   []*Staff
	byID    map[string]*Staff
	byEmail map[string]*Staff
}

// ByID finds a staff member by roster id.
func (r *Roster) ByID(id string) *Staff { return r.byID[id] }

// ByEmail finds a staff member by e-mail address, ignoring case.
func (r *Roster) ByEmail(email string) *Staff { return r.byEmail[strings.ToLower(email)] }

var rosterColumns = []string{"id", "name", "email", "role", "start_date"}

// LoadRoster reads the roster CSV. Every bad row is reported with its line;
// the roster is nil when there are any problems, so a half-read staff list is
// never used.
func LoadRoster(path string) (*Roster, []Problem) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, []Problem{{File: path, Message: fmt.Sprintf("cannot read the staff roster: %v (pass --roster with the CSV file of staff: %s)", err, strings.Join(rosterColumns, ","))}}
	}
	return ParseRoster(path, data)
}

// ParseRoster reads a roster from memory; file is used in messages.
func ParseRoster(file string, data []byte) (*Roster, []Problem) {
	var ps []Problem
	add := func(line int, format string, args ...any) {
		ps = append(ps, Problem{File: file, Line: line, Message: fmt.Sprintf(format, args...)})
	}
	if bytes.HasPrefix(data, []byte("\xff\xfe")) || bytes.HasPrefix(data, []byte("\xfe\xff")) {
		add(1, "the staff roster is saved as UTF-16 (Excel's \"Unicode Text\"): save it again as \"CSV UTF-8 (Comma delimited)\"")
		return nil, ps
	}
	data = bytes.TrimPrefix(data, []byte("\xef\xbb\xbf")) // spreadsheet apps often save UTF-8 with a byte-order mark
	// Excel's plain "CSV (Comma delimited)" is Windows-1252 on a British
	// PC: without this, Zoë or Brûlé would be stored, and printed on
	// certificates, as "Zo�" and "Br�l�".
	data, _ = textenc.ToUTF8(data)

	cr := csv.NewReader(bytes.NewReader(data))
	// Excel saves "CSV" with semicolons where the decimal separator is a
	// comma (most of Europe), whichever CSV type is chosen: a header line
	// with semicolons and no commas says the file is written that way.
	if first, _, _ := bytes.Cut(data, []byte("\n")); bytes.Contains(first, []byte(";")) && !bytes.Contains(first, []byte(",")) {
		cr.Comma = ';'
	}
	cr.FieldsPerRecord = -1 // counted below, with a clearer message
	cr.TrimLeadingSpace = true
	header, err := cr.Read()
	if errors.Is(err, io.EOF) {
		add(0, "the staff roster is empty: the first line must be the header %s, followed by one line per member of staff", strings.Join(rosterColumns, ","))
		return nil, ps
	}
	if err != nil {
		add(csvLine(err, 1), "this line is not valid CSV: %v", csvReason(err))
		return nil, ps
	}
	col := map[string]int{}
	for i, h := range header {
		col[strings.ToLower(strings.TrimSpace(h))] = i
	}
	var missing []string
	for _, c := range rosterColumns {
		if _, ok := col[c]; !ok {
			missing = append(missing, c)
		}
	}
	if len(missing) > 0 {
		add(1, "the header line has no %s column: it must name the columns %s (found: %s)",
			strings.Join(missing, ", "), strings.Join(rosterColumns, ","), strings.Join(header, string(cr.Comma)))
		return nil, ps
	}

	r := &Roster{File: file, byID: map[string]*Staff{}, byEmail: map[string]*Staff{}}
	for {
		rec, err := cr.Read()
		if errors.Is(err, io.EOF) {
			break
		}
		line, _ := cr.FieldPos(0)
		if err != nil {
			add(csvLine(err, line), "this line is not valid CSV: %v", csvReason(err))
			if _, ok := err.(*csv.ParseError); ok && !errors.Is(err, csv.ErrFieldCount) {
				break // the reader cannot resynchronise after a quoting error
			}
			continue
		}
		if blankRow(rec) {
			continue // a spreadsheet's empty row (;;;;) is not a member of staff
		}
		if len(rec) < len(header) {
			add(line, "this row has %d values but the header has %d columns (%s): add the missing values, with empty ones between commas if needed",
				len(rec), len(header), strings.Join(header, ","))
			continue
		}
		get := func(name string) string { return strings.TrimSpace(rec[col[name]]) }
		s := &Staff{ID: get("id"), Name: get("name"), Email: get("email"), Role: get("role"), Line: line}
		rowOK := true
		bad := func(format string, args ...any) { add(line, format, args...); rowOK = false }

		switch {
		case s.ID == "":
			bad("id is empty: give every member of staff a short unique id, such as their staff code (it goes into their personal link)")
		case len(s.ID) > 64 || strings.IndexFunc(s.ID, func(r rune) bool { return unicode.IsSpace(r) || unicode.IsControl(r) }) >= 0:
			bad("id %q must be at most 64 characters with no spaces, such as JSMITH or 1042", s.ID)
		case r.byID[s.ID] != nil:
			bad("id %q is used twice (also on line %d): every member of staff needs their own id", s.ID, r.byID[s.ID].Line)
		}
		if s.Name == "" {
			bad("name is empty for id %q: the name is printed on certificates and in the report", s.ID)
		}
		if !plausibleEmail(s.Email) {
			bad("email %q is not an e-mail address: write it as name@school.org", s.Email)
		} else if other := r.byEmail[strings.ToLower(s.Email)]; other != nil {
			bad("email %s is used twice (also on line %d): each member of staff needs their own address", s.Email, other.Line)
		}
		if d, err := time.ParseInLocation("2006-01-02", get("start_date"), time.Local); err != nil {
			bad("start_date %q is not a date written as YYYY-MM-DD, such as 2026-09-01 (spreadsheets may show 01/09/2026: change the column's format to yyyy-mm-dd before saving)", get("start_date"))
		} else {
			s.StartDate = d
		}
		if !rowOK {
			continue
		}
		r.Staff = append(r.Staff, s)
		r.byID[s.ID] = s
		r.byEmail[strings.ToLower(s.Email)] = s
	}
	if len(ps) == 0 && len(r.Staff) == 0 {
		add(0, "the staff roster has a header but no staff: add one line per member of staff")
	}
	if len(ps) > 0 {
		return nil, ps
	}
	return r, nil
}

func blankRow(rec []string) bool {
	for _, v := range rec {
		if strings.TrimSpace(v) != "" {
			return false
		}
	}
	return true
}

func plausibleEmail(s string) bool {
	local, domain, ok := strings.Cut(s, "@")
	return ok && local != "" && strings.Contains(domain, ".") && !strings.ContainsAny(s, " \t,;<>\"") &&
		!strings.Contains(domain, "@") && !strings.HasPrefix(domain, ".") && !strings.HasSuffix(domain, ".")
}

func csvLine(err error, fallback int) int {
	var pe *csv.ParseError
	if errors.As(err, &pe) && pe.Line > 0 {
		return pe.Line
	}
	return fallback
}

func csvReason(err error) string {
	var pe *csv.ParseError
	if errors.As(err, &pe) {
		switch {
		case errors.Is(pe.Err, csv.ErrQuote), errors.Is(pe.Err, csv.ErrBareQuote):
			return "a double quote is out of place (a value containing quotes must be wrapped in quotes, with each inner quote doubled)"
		}
		return pe.Err.Error()
	}
	return err.Error()
}
