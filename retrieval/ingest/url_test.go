package ingest

import "testing"

func TestCanonicalURL(t *testing.T) {
	tests := []struct {
		in, want string
		wantErr  bool
	}{
		{"https://Example.ORG/News/Story?id=7", "https://example.org/News/Story?id=7", false},
		{"HTTP://example.org:80/a", "http://example.org/a", false},
		{"https://example.org:443/a", "https://example.org/a", false},
		{"https://example.org:8443/a", "https://example.org:8443/a", false},
		{"https://example.org", "https://example.org/", false},
		{"https://example.org./a#comments", "https://example.org/a", false},
		{"https://user:pw@example.org/a", "https://example.org/a", false},
		{"https://example.org/a?utm_source=rss&utm_medium=feed&id=3&fbclid=x&gclid=y", "https://example.org/a?id=3", false},
		{"https://example.org/a?UTM_Campaign=x", "https://example.org/a", false},
		{"https://example.org/a?b=2&a=1", "https://example.org/a?b=2&a=1", false},
		{"https://example.org/a?", "https://example.org/a", false},
		{"  https://example.org/a  ", "https://example.org/a", false},
		{"http://[::1]:8080/x", "http://[::1]:8080/x", false},
		{"http://[::1]:80/x", "http://[::1]/x", false},
		{"ftp://example.org/a", "", true},
		{"file:///etc/passwd", "", true},
		{"/relative/path", "", true},
		{"https:///nohost", "", true},
		{"http://%zz", "", true},
	}
	for _, tt := range tests {
		got, err := CanonicalURL(tt.in)
		if (err != nil) != tt.wantErr || got != tt.want {
			t.Errorf("CanonicalURL(%q) = %q, %v; want %q, error %v", tt.in, got, err, tt.want, tt.wantErr)
		}
	}
}

func TestCanonicalURLSameArticle(t *testing.T) {
	a, _ := CanonicalURL("https://news.example.com/2024/story.html?utm_source=feedA#top")
	b, _ := CanonicalURL("https://NEWS.example.com/2024/story.html?utm_source=feedB&utm_campaign=c")
	if a == "" || a != b {
		t.Errorf("same article canonicalised differently: %q vs %q", a, b)
	}
}
