package trainlog

import (
	"strings"
	"testing"
)

func TestExampleRosterLoads(t *testing.T) {
	r, ps := LoadRoster("testdata/staff.csv")
	if len(ps) > 0 {
		t.Fatalf("the example roster has problems: %v", ps)
	}
	if len(r.Staff) < 10 {
		t.Errorf("example roster has %d staff", len(r.Staff))
	}
	dsl := r.ByID("HMARSH")
	if dsl == nil || dsl.Role != "Designated Safeguarding Lead" || dsl.StartDate.Format("2006-01-02") != "2014-09-01" || dsl.Line != 2 {
		t.Errorf("DSL row read wrongly: %+v", dsl)
	}
	if p := r.ByEmail("EDUBOIS@oakfield-primary.example.org"); p == nil || p.Name != "Mlle Élodie Dubois" {
		t.Errorf("lookup by e-mail ignoring case, with accents in the name: %+v", p)
	}
}

func TestRosterProblems(t *testing.T) {
	const header = "id,name,email,role,start_date\n"
	tests := []struct {
		name string
		csv  string
		line int
		want string
	}{
		{"empty file", "", 0, "the staff roster is empty"},
		{"header only", header, 0, "has a header but no staff"},
		{"missing column", "id,name,email,role,startdate\nA,Ann,a@s.example,T,2020-01-01\n", 1, "no start_date column"},
		{"semicolons, short row", "id;name;email;role;start_date\nA;Ann;a@s.example;T\n", 2, "this row has 4 values"},
		{"short row", header + "A,Ann,a@s.example,T\n", 2, "this row has 4 values but the header has 5 columns"},
		{"empty id", header + ",Ann,a@s.example,T,2020-01-01\n", 2, "id is empty"},
		{"id with a space", header + "A 1,Ann,a@s.example,T,2020-01-01\n", 2, "no spaces"},
		{"duplicate id", header + "A,Ann,a@s.example,T,2020-01-01\nA,Bob,b@s.example,T,2020-01-01\n", 3, `id "A" is used twice (also on line 2)`},
		{"duplicate e-mail", header + "A,Ann,a@s.example,T,2020-01-01\nB,Bob,A@S.example,T,2020-01-01\n", 3, "used twice (also on line 2)"},
		{"empty name", header + "A,,a@s.example,T,2020-01-01\n", 2, "name is empty"},
		{"bad e-mail", header + "A,Ann,ann at school,T,2020-01-01\n", 2, `email "ann at school" is not an e-mail address`},
		{"UK date", header + "A,Ann,a@s.example,T,01/09/2020\n", 2, `start_date "01/09/2020" is not a date written as YYYY-MM-DD`},
		{"stray quote", header + "A,Ann \"Nan\" A,a@s.example,T,2020-01-01\n", 2, "double quote is out of place"},
		{"problem on a later line", header + "A,Ann,a@s.example,T,2020-01-01\n\nB,Bob,b@s.example,T,2020-13-01\n", 4, "start_date"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r, ps := ParseRoster("staff.csv", []byte(tt.csv))
			if r != nil {
				t.Error("a roster with problems was returned")
			}
			if len(ps) != 1 {
				t.Fatalf("want one problem, got %v", ps)
			}
			if ps[0].Line != tt.line || !strings.Contains(ps[0].Message, tt.want) || ps[0].File != "staff.csv" {
				t.Errorf("got %s; want staff.csv:%d with %q", ps[0], tt.line, tt.want)
			}
		})
	}
}

func TestRosterAcceptsSpreadsheetExports(t *testing.T) {
	// Excel: byte-order mark, CRLF line ends, columns in another order, an
	// extra column, quoted values with commas, spaces after commas.
	csv := "\xef\xbb\xbfName,ID,Start_Date,Email,Role,Notes\r\n" +
		"\"Archer, Ann\", A1, 2020-01-01, ann@s.example, \"Teacher, Year 2\",\r\n"
	r, ps := ParseRoster("staff.csv", []byte(csv))
	if len(ps) > 0 {
		t.Fatal(ps)
	}
	a := r.ByID("A1")
	if a == nil || a.Name != "Archer, Ann" || a.Role != "Teacher, Year 2" || a.Email != "ann@s.example" {
		t.Errorf("row read wrongly: %+v", a)
	}
}

func TestRosterAcceptsExcelSemicolonsAndBlankRows(t *testing.T) {
	// Excel where the decimal separator is a comma: semicolons, a blank row
	// written as separators only, an extra column, a comma inside a value.
	csv := "\xef\xbb\xbfid;name;email;role;start_date;notes\r\n" +
		"A1;Archer, Ann;Ann@S.example;Teacher;2020-01-01;\r\n" +
		";;;;;\r\n" +
		"B2;Bob Brown;bob@s.example;TA;2021-09-01;x\r\n"
	r, ps := ParseRoster("staff.csv", []byte(csv))
	if len(ps) > 0 {
		t.Fatal(ps)
	}
	if len(r.Staff) != 2 {
		t.Fatalf("want 2 staff, got %d", len(r.Staff))
	}
	if a := r.ByEmail("ann@s.example"); a == nil || a.Name != "Archer, Ann" || a.ID != "A1" {
		t.Errorf("row read wrongly: %+v", a)
	}
	if b := r.ByID("B2"); b == nil || b.Line != 4 {
		t.Errorf("row after the blank one read wrongly: %+v", b)
	}
}

func TestRosterInWindows1252IsRead(t *testing.T) {
	// Excel's "CSV (Comma delimited)" on a British PC: Windows-1252 bytes.
	csv := "id,name,email,role,start_date\r\nZB,Zo\xeb Br\xfbl\xe9,zb@s.example,TA,2025-09-01\r\n"
	r, ps := ParseRoster("staff.csv", []byte(csv))
	if len(ps) > 0 {
		t.Fatal(ps)
	}
	if z := r.ByID("ZB"); z == nil || z.Name != "Zoë Brûlé" {
		t.Errorf("name read as %q", z.Name)
	}
}

func TestRosterInUTF16IsExplained(t *testing.T) {
	_, ps := ParseRoster("staff.csv", []byte("\xff\xfei\x00d\x00,\x00"))
	if len(ps) != 1 || ps[0].Line != 1 || !strings.Contains(ps[0].Message, "UTF-16") || !strings.Contains(ps[0].Message, "CSV UTF-8") {
		t.Errorf("got %v", ps)
	}
}
