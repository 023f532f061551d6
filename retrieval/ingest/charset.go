package ingest

import (
	"bytes"
	"fmt"
	"mime"
	"strings"
	"unicode/utf8"

	"golang.org/x/net/html"
	"golang.org/x/net/html/charset"
	"golang.org/x/text/encoding"
	"golang.org/x/text/encoding/charmap"
	xunicode "golang.org/x/text/encoding/unicode"
)

// decodeHTML turns a page's bytes into UTF-8, choosing the encoding in the
// order a browser does: a byte-order mark, then the charset of the HTTP
// Content-Type, then a <meta charset> or <meta http-equiv="Content-Type">
// anywhere in the head (not only in the first 1,024 bytes: long inline
// scripts often come first). With no declaration, bytes that are valid
// UTF-8 are UTF-8, anything else is Windows-1252.
//
// A declared single- or multi-byte legacy charset over bytes that are valid
// UTF-8 with non-ASCII characters is almost always a wrong declaration (a
// template's gb2312 or latin-1 meta over a UTF-8 page): such a page is read
// as UTF-8, which never yields replacement characters for it, and warn
// says so.
func decodeHTML(data []byte, contentType string) (text string, warn error, err error) {
	switch {
	case bytes.HasPrefix(data, bomUTF8):
		return string(data[len(bomUTF8):]), nil, nil
	case bytes.HasPrefix(data, bomUTF16LE), bytes.HasPrefix(data, bomUTF16BE):
		out, err := decodeBOM(data)
		return string(out), nil, err
	}
	label, where := "", ""
	if _, params, err := mime.ParseMediaType(contentType); err == nil && params["charset"] != "" {
		label, where = params["charset"], "the HTTP Content-Type"
	} else if l := metaCharset(data); l != "" {
		label, where = l, "the page's <meta>"
	}
	var enc encoding.Encoding = xunicode.UTF8
	name := "utf-8"
	if label != "" {
		e, canonical := charset.Lookup(label)
		if e == nil {
			warn = fmt.Errorf("unknown charset %q in %s; guessed from the bytes", label, where)
			label = ""
		} else {
			enc, name = e, canonical
		}
	}
	isUTF8 := utf8.Valid(data)
	switch {
	case label == "" && isUTF8:
		return string(data), warn, nil
	case label == "":
		enc = charmap.Windows1252
	case name != "utf-8" && isUTF8 && hasNonASCII(data):
		return string(data), fmt.Errorf("page declares charset %q in %s but is valid UTF-8; read as UTF-8", label, where), nil
	}
	out, err := enc.NewDecoder().Bytes(data)
	if err != nil {
		return "", warn, fmt.Errorf("decode HTML as %s: %w", name, err)
	}
	return string(bytes.TrimPrefix(out, bomUTF8)), warn, nil
}

func hasNonASCII(data []byte) bool {
	for _, b := range data {
		if b >= 0x80 {
			return true
		}
	}
	return false
}

// metaCharset returns the charset a <meta> in the head declares, reading
// tags up to the start of the body. The tokenizer sees bytes, and every
// charset a page can declare this way is ASCII-compatible for tag names
// and attributes.
func metaCharset(data []byte) string {
	z := html.NewTokenizer(bytes.NewReader(data))
	for {
		switch z.Next() {
		case html.ErrorToken:
			return ""
		case html.StartTagToken, html.SelfClosingTagToken:
			name, hasAttr := z.TagName()
			switch string(name) {
			case "body":
				return ""
			case "meta":
				var cs, equiv, content string
				for hasAttr {
					var k, v []byte
					k, v, hasAttr = z.TagAttr()
					switch strings.ToLower(string(k)) {
					case "charset":
						cs = string(v)
					case "http-equiv":
						equiv = string(v)
					case "content":
						content = string(v)
					}
				}
				if cs = strings.TrimSpace(cs); cs != "" {
					return cs
				}
				if strings.EqualFold(equiv, "content-type") {
					if _, params, err := mime.ParseMediaType(content); err == nil && params["charset"] != "" {
						return params["charset"]
					}
				}
			}
		}
	}
}
