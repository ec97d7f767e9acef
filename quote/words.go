package quote

import (
	"fmt"
	"kmopsite/suggest"
	"reflect"
	"regexp"
	"slices"
	"sort"
	"strconv"
	"strings"

	"go.yaml.in/yaml/v3"

	"kmopsite/words"
)

// Words are the words of the quote form and of the two mails in one
// language: the decoded content/<lang>/quote.yaml. The words of the
// questionnaire itself (questions, choices, verdicts, codes) are not here;
// they come from content/<lang>/selfcheck.yaml (package words).
//
// A text may hold placeholders in braces, such as {reference}; each text
// accepts the ones named in its `vars` tag, and DecodeWords rejects others.
type Words struct {
	Form      FormWords         `yaml:"form" json:"form"`
	Fields    FieldsWords       `yaml:"fields" json:"fields"`
	Languages map[string]string `yaml:"languages" json:"languages"`
	Mail      MailWords         `yaml:"mail" json:"mail"`

	pos map[string][2]int // dotted key → line and column
}

// Pos returns the line and column where key (dotted, as MissingWords
// writes them) is written, or where its nearest written parent is; 1, 1
// when none of it is.
func (w *Words) Pos(key string) (line, col int) {
	for key != "" {
		if p, ok := w.pos[key]; ok {
			return p[0], p[1]
		}
		i := strings.LastIndexByte(key, '.')
		if i < 0 {
			break
		}
		key = key[:i]
	}
	return 1, 1
}

// FormWords are the quote form's own words, shown around its fields.
type FormWords struct {
	Title         string `yaml:"title" json:"title"`
	Intro         string `yaml:"intro" json:"intro"`
	Privacy       string `yaml:"privacy" json:"privacy"`
	Submit        string `yaml:"submit" json:"submit"`
	Sending       string `yaml:"sending" json:"sending"`
	Accepted      string `yaml:"accepted" json:"accepted" vars:"reference"`
	ErrorSummary  string `yaml:"error_summary" json:"error_summary"`
	FailedNetwork string `yaml:"failed_network" json:"failed_network"`
	FailedBusy    string `yaml:"failed_busy" json:"failed_busy" vars:"minutes"`
	FailedServer  string `yaml:"failed_server" json:"failed_server"`
	Mailto        string `yaml:"mailto" json:"mailto" vars:"email"`
	MailtoSubject string `yaml:"mailto_subject" json:"mailto_subject" vars:"company"`
	MailtoIntro   string `yaml:"mailto_intro" json:"mailto_intro"`
}

// FieldsWords hold one entry per field of the form.
type FieldsWords struct {
	Company          FieldWords `yaml:"company" json:"company"`
	EnterpriseNumber FieldWords `yaml:"enterprise_number" json:"enterprise_number"`
	Name             FieldWords `yaml:"name" json:"name"`
	Email            FieldWords `yaml:"email" json:"email"`
	Phone            FieldWords `yaml:"phone" json:"phone"`
	Message          FieldWords `yaml:"message" json:"message"`
	Consent          FieldWords `yaml:"consent" json:"consent" vars:"privacy"`
}

// FieldWords are a field's label, its help text and its error messages, one
// per code the server can answer for it (see FieldCodes).
type FieldWords struct {
	Label  string      `yaml:"label" json:"label"`
	Help   string      `yaml:"help" json:"help" optional:"true"`
	Errors ErrorsWords `yaml:"errors" json:"errors"`
}

// ErrorsWords are the messages for the codes of a 400 answer.
type ErrorsWords struct {
	Required string `yaml:"required" json:"required"`
	TooLong  string `yaml:"too_long" json:"too_long" vars:"max"`
	Invalid  string `yaml:"invalid" json:"invalid"`
}

// MailWords are the words of the two mails.
type MailWords struct {
	Audit    AuditMailWords   `yaml:"audit" json:"audit"`
	Confirm  ConfirmMailWords `yaml:"confirm" json:"confirm"`
	Headings HeadingsWords    `yaml:"headings" json:"headings"`
	Labels   LabelsWords      `yaml:"labels" json:"labels"`
}

// AuditMailWords are for the mail to the audit body.
type AuditMailWords struct {
	Subject    string `yaml:"subject" json:"subject" vars:"reference,company"`
	Intro      string `yaml:"intro" json:"intro" vars:"site,lang"`
	Attachment string `yaml:"attachment" json:"attachment" vars:"file"`
}

// ConfirmMailWords are for the confirmation to the applicant.
type ConfirmMailWords struct {
	Subject   string `yaml:"subject" json:"subject" vars:"reference,site"`
	Greeting  string `yaml:"greeting" json:"greeting" vars:"name"`
	Intro     string `yaml:"intro" json:"intro" vars:"reference,site"`
	Next      string `yaml:"next" json:"next"`
	Contact   string `yaml:"contact" json:"contact" vars:"email"`
	Privacy   string `yaml:"privacy" json:"privacy" vars:"url"`
	Closing   string `yaml:"closing" json:"closing"`
	Signature string `yaml:"signature" json:"signature" vars:"site"`
}

// HeadingsWords are the section headings of the mails.
type HeadingsWords struct {
	Contact      string `yaml:"contact" json:"contact"`
	Message      string `yaml:"message" json:"message"`
	Result       string `yaml:"result" json:"result"`
	Blockers     string `yaml:"blockers" json:"blockers"`
	Warnings     string `yaml:"warnings" json:"warnings"`
	Requirements string `yaml:"requirements" json:"requirements"`
	Exemptions   string `yaml:"exemptions" json:"exemptions"`
	Steps        string `yaml:"steps" json:"steps"`
	Answers      string `yaml:"answers" json:"answers"`
}

// LabelsWords label single values in the mails.
type LabelsWords struct {
	Reference string `yaml:"reference" json:"reference"`
	Received  string `yaml:"received" json:"received"`
	// The contact details in the mails, which the form's labels ("Your
	// name") would address to the wrong reader.
	Company          string `yaml:"company" json:"company"`
	EnterpriseNumber string `yaml:"enterprise_number" json:"enterprise_number"`
	Name             string `yaml:"name" json:"name"`
	Email            string `yaml:"email" json:"email"`
	Phone            string `yaml:"phone" json:"phone"`
	Language         string `yaml:"language" json:"language"`
	Verdict          string `yaml:"verdict" json:"verdict"`
	Track            string `yaml:"track" json:"track"`
	Registration     string `yaml:"registration" json:"registration" vars:"years"`
	FollowUp         string `yaml:"follow_up" json:"follow_up" vars:"years"`
	Unanswered       string `yaml:"unanswered" json:"unanswered"`
	None             string `yaml:"none" json:"none"`
	TrackUnknown     string `yaml:"track_unknown" json:"track_unknown"`
}

// DecodeWords decodes a quote.yaml file strictly: unknown keys (with a
// suggestion), duplicate keys, lists or maps where a text belongs and
// unknown placeholders are errors. The error, when not nil, is a
// words.Errors, the type the self-check's words use: each mistake with its
// line, column, message and hint. Missing texts are not errors here; see
// MissingWords.
func DecodeWords(data []byte) (*Words, error) {
	var root yaml.Node
	if err := yaml.Unmarshal(data, &root); err != nil {
		return nil, words.Errors{yamlSyntaxError(err)}
	}
	w := &Words{pos: map[string][2]int{}}
	d := &wordsDecoder{pos: w.pos}
	if len(root.Content) > 0 {
		d.decode(root.Content[0], reflect.ValueOf(w).Elem(), "", "")
	}
	if len(d.errs) > 0 {
		sort.SliceStable(d.errs, func(i, j int) bool {
			a, b := d.errs[i], d.errs[j]
			return a.Line < b.Line || a.Line == b.Line && a.Col < b.Col
		})
		return nil, d.errs
	}
	return w, nil
}

var yamlLine = regexp.MustCompile(`^yaml: line (\d+): (.*)$`)

func yamlSyntaxError(err error) *words.Error {
	msg := err.Error()
	e := &words.Error{Line: 1, Col: 1, Msg: "YAML syntax: " + strings.TrimPrefix(msg, "yaml: "),
		Hint: "check the indentation, and put text that holds a colon followed by a space in quotes"}
	if m := yamlLine.FindStringSubmatch(msg); m != nil {
		e.Line, _ = strconv.Atoi(m[1])
		e.Msg = "YAML syntax: " + m[2]
	}
	return e
}

type wordsDecoder struct {
	errs words.Errors
	pos  map[string][2]int
}

func (d *wordsDecoder) fail(n *yaml.Node, hint, format string, args ...any) {
	d.errs = append(d.errs, &words.Error{Line: n.Line, Col: n.Column, Msg: fmt.Sprintf(format, args...), Hint: hint})
}

var placeholder = regexp.MustCompile(`\{([^{}]*)\}`)

// decode fills v from n; path is the dotted key for messages, vars the
// placeholders the text at this place may use.
func (d *wordsDecoder) decode(n *yaml.Node, v reflect.Value, path, vars string) {
	for n.Kind == yaml.AliasNode {
		n = n.Alias
	}
	where := path
	if where == "" {
		where = "the file"
	}
	switch v.Kind() {
	case reflect.String:
		if n.Kind != yaml.ScalarNode {
			d.fail(n, "write the text after the colon, in quotes", "%s must be a text, not a %s", where, kindName(n))
			return
		}
		if n.Tag == "!!null" {
			return
		}
		for _, m := range placeholder.FindAllStringSubmatch(n.Value, -1) {
			if !inList(vars, m[1]) {
				d.fail(n, placesHint(vars), "%s: unknown placeholder {%s}", where, m[1])
			}
		}
		v.SetString(n.Value)
	case reflect.Struct:
		if !d.mapping(n, where) {
			return
		}
		t := v.Type()
		keys := make([]string, t.NumField())
		for i := range keys {
			if t.Field(i).IsExported() {
				keys[i] = yamlKey(t.Field(i))
			}
		}
		d.pairs(n, path, func(k, val *yaml.Node) {
			i := indexOf(keys, k.Value)
			if i < 0 || k.Value == "" {
				d.fail(k, keyHint(k.Value, slices.DeleteFunc(slices.Clone(keys), func(s string) bool { return s == "" })), "unknown key %q in %s", k.Value, where)
				return
			}
			fv := t.Field(i).Tag.Get("vars")
			if fv == "" {
				fv = vars // a field's texts take its placeholders
			}
			d.decode(val, v.Field(i), join(path, k.Value), fv)
		})
	case reflect.Map:
		if !d.mapping(n, where) {
			return
		}
		if v.IsNil() {
			v.Set(reflect.MakeMap(v.Type()))
		}
		d.pairs(n, path, func(k, val *yaml.Node) {
			e := reflect.New(v.Type().Elem()).Elem()
			d.decode(val, e, join(path, k.Value), vars)
			v.SetMapIndex(reflect.ValueOf(k.Value), e)
		})
	default:
		panic("quote: words field of unsupported kind " + v.Kind().String())
	}
}

func (d *wordsDecoder) mapping(n *yaml.Node, where string) bool {
	if n.Kind == yaml.ScalarNode && n.Tag == "!!null" {
		return false
	}
	if n.Kind != yaml.MappingNode {
		d.fail(n, "indent its keys under it, one per line", "%s must be a map of keys, not a %s", where, kindName(n))
		return false
	}
	return true
}

// pairs calls f for each key and value of the mapping n at path, noting
// where each key is written and reporting keys that are not texts or
// appear twice.
func (d *wordsDecoder) pairs(n *yaml.Node, path string, f func(k, v *yaml.Node)) {
	seen := map[string]*yaml.Node{}
	for i := 0; i+1 < len(n.Content); i += 2 {
		k, val := n.Content[i], n.Content[i+1]
		if k.Kind != yaml.ScalarNode {
			d.fail(k, "", "a key must be a plain word, not a %s", kindName(k))
			continue
		}
		if first, ok := seen[k.Value]; ok {
			d.fail(k, "remove one of them", "key %q appears twice; the first is on line %d", k.Value, first.Line)
			continue
		}
		seen[k.Value] = k
		d.pos[join(path, k.Value)] = [2]int{k.Line, k.Column}
		f(k, val)
	}
}

func kindName(n *yaml.Node) string {
	switch n.Kind {
	case yaml.SequenceNode:
		return "list"
	case yaml.MappingNode:
		return "map"
	}
	return "text"
}

func yamlKey(f reflect.StructField) string {
	k, _, _ := strings.Cut(f.Tag.Get("yaml"), ",")
	return k
}

func join(path, key string) string {
	if path == "" {
		return key
	}
	return path + "." + key
}

func inList(list, s string) bool {
	return s != "" && indexOf(strings.Split(list, ","), s) >= 0
}

func indexOf(list []string, s string) int {
	for i, x := range list {
		if x == s {
			return i
		}
	}
	return -1
}

func placesHint(vars string) string {
	if vars == "" {
		return "this text takes no placeholders"
	}
	return "this text takes {" + strings.ReplaceAll(vars, ",", "}, {") + "}"
}

// keyHint names the known key closest to k, when one is close enough to be
// a typo.
func keyHint(k string, keys []string) string {
	best, bestDist := "", 3
	for _, c := range keys {
		if dist := suggest.Distance(k, c); dist < bestDist {
			best, bestDist = c, dist
		}
	}
	if best == "" {
		return "known keys here: " + strings.Join(keys, ", ")
	}
	return fmt.Sprintf("did you mean %q?", best)
}

// MissingWords lists the keys of w that have no text, as dotted paths
// ("mail.audit.subject", "fields.email.errors.invalid", "languages.fr"):
// every text of the form and the mails but the optional help texts, the
// error message of every code
// the server can answer for a field (FieldCodes), and the name of each of
// langs. An empty list means the file is complete.
func MissingWords(w *Words, langs []string) []string {
	var missing []string
	var walk func(v reflect.Value, path string)
	walk = func(v reflect.Value, path string) {
		switch v.Kind() {
		case reflect.String:
			if strings.TrimSpace(v.String()) == "" {
				missing = append(missing, path)
			}
		case reflect.Struct:
			t := v.Type()
			for i := 0; i < t.NumField(); i++ {
				if t.Field(i).Type == reflect.TypeFor[ErrorsWords]() || t.Field(i).Tag.Get("optional") != "" {
					continue // errors: only the codes that can happen, below
				}
				walk(v.Field(i), join(path, yamlKey(t.Field(i))))
			}
		}
	}
	walk(reflect.ValueOf(*w), "")
	for _, fc := range FieldCodes() {
		if w.Fields.errorText(fc.Field, fc.Code) == "" {
			missing = append(missing, "fields."+strings.TrimPrefix(fc.Field, "contact.")+".errors."+fc.Code)
		}
	}
	for _, l := range langs {
		if strings.TrimSpace(w.Languages[l]) == "" {
			missing = append(missing, "languages."+l)
		}
	}
	sort.Strings(missing)
	return missing
}

// field returns the words of a form field by its name in a 400 answer
// ("contact.email", "consent").
func (f *FieldsWords) field(name string) *FieldWords {
	switch strings.TrimPrefix(name, "contact.") {
	case "company":
		return &f.Company
	case "enterprise_number":
		return &f.EnterpriseNumber
	case "name":
		return &f.Name
	case "email":
		return &f.Email
	case "phone":
		return &f.Phone
	case "message":
		return &f.Message
	case "consent":
		return &f.Consent
	}
	return nil
}

func (f *FieldsWords) errorText(field, code string) string {
	fw := f.field(field)
	if fw == nil {
		return ""
	}
	switch code {
	case CodeRequired:
		return strings.TrimSpace(fw.Errors.Required)
	case CodeTooLong:
		return strings.TrimSpace(fw.Errors.TooLong)
	case CodeInvalid:
		return strings.TrimSpace(fw.Errors.Invalid)
	}
	return ""
}

// expand replaces the placeholders of s by their values; vars holds name,
// value pairs.
func expand(s string, vars ...string) string {
	if !strings.Contains(s, "{") {
		return s
	}
	return placeholder.ReplaceAllStringFunc(s, func(m string) string {
		name := m[1 : len(m)-1]
		for i := 0; i+1 < len(vars); i += 2 {
			if vars[i] == name {
				return vars[i+1]
			}
		}
		return m
	})
}
