package index

import (
	"context"
	"encoding/json"
	"math"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
)

// fakeEmbedAPI answers Ollama's /api/embeddings and OpenAI's /v1/embeddings
// with a vector derived from the text's length, and records requests.
type fakeEmbedAPI struct {
	mu      sync.Mutex
	models  []string
	auth    []string
	fail    bool
	reqPath []string
}

func (f *fakeEmbedAPI) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	var req struct {
		Model  string `json:"model"`
		Prompt string `json:"prompt"` // Ollama
		Input  string `json:"input"`  // OpenAI
	}
	json.NewDecoder(r.Body).Decode(&req)
	f.mu.Lock()
	f.models = append(f.models, req.Model)
	f.auth = append(f.auth, r.Header.Get("Authorization"))
	f.reqPath = append(f.reqPath, r.URL.Path)
	fail := f.fail
	f.mu.Unlock()
	if fail {
		// Some servers echo what they were sent; the key must not leak anyway.
		http.Error(w, "overloaded; your header was "+r.Header.Get("Authorization"), http.StatusServiceUnavailable)
		return
	}
	text := req.Prompt + req.Input
	vec := []float32{float32(len(text)), 3, 4}
	w.Header().Set("Content-Type", "application/json")
	if strings.HasPrefix(r.URL.Path, "/api/") {
		json.NewEncoder(w).Encode(map[string]any{"embedding": vec})
		return
	}
	json.NewEncoder(w).Encode(map[string]any{"data": []map[string]any{{"embedding": vec}}})
}

func TestRemoteEmbedders(t *testing.T) {
	fake := &fakeEmbedAPI{}
	srv := httptest.NewServer(fake)
	defer srv.Close()
	const key = "sk-test-SECRET-123"
	tests := []struct {
		name     string
		emb      Embedder
		wantName string
		path     string
		auth     string
	}{
		{"ollama", NewOllamaEmbedder("nomic-embed-text", srv.URL+"/api"), "ollama:nomic-embed-text", "/api/embeddings", ""},
		{"openai", NewOpenAIEmbedder("text-embedding-3-small", srv.URL+"/v1", key), "openai:text-embedding-3-small", "/v1/embeddings", "Bearer " + key},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			*fake = fakeEmbedAPI{}
			if tt.emb.Name() != tt.wantName {
				t.Errorf("name %q", tt.emb.Name())
			}
			vs, err := tt.emb.Embed(context.Background(), []string{"a", "bb", "ccc"})
			if err != nil {
				t.Fatal(err)
			}
			for i, v := range vs {
				var n float64
				for _, x := range v {
					n += float64(x) * float64(x)
				}
				if math.Abs(n-1) > 1e-5 || v[0] <= 0 {
					t.Errorf("vector %d = %v is not the normalised answer", i, v)
				}
			}
			if vs[0][0] >= vs[2][0] {
				t.Errorf("vectors out of order: %v", vs)
			}
			for i := range fake.models {
				if fake.models[i] != strings.SplitN(tt.wantName, ":", 2)[1] || fake.reqPath[i] != tt.path || fake.auth[i] != tt.auth {
					t.Errorf("request %d: model %q path %q auth %q", i, fake.models[i], fake.reqPath[i], fake.auth[i])
				}
			}
			fake.fail = true
			_, err = tt.emb.Embed(context.Background(), []string{"x"})
			if err == nil {
				t.Fatal("server error not reported")
			}
			if strings.Contains(err.Error(), "SECRET") {
				t.Errorf("error leaks the API key: %v", err)
			}
		})
	}
}

// TestStoreWithRemoteEmbedder ingests through a remote embedder: a server
// that fails leaves the articles unstored and reported, not half stored.
func TestStoreWithRemoteEmbedder(t *testing.T) {
	fake := &fakeEmbedAPI{}
	srv := httptest.NewServer(fake)
	defer srv.Close()
	ctx := context.Background()
	st, err := Open(ctx, openDB(t, t.TempDir()), NewOllamaEmbedder("m", srv.URL+"/api"))
	if err != nil {
		t.Fatal(err)
	}
	rep, err := st.Put(ctx, corpus[:1], nil)
	if err != nil || rep.Added != 1 {
		t.Fatalf("put: %+v %v", rep, err)
	}
	fake.mu.Lock()
	fake.fail = true
	fake.mu.Unlock()
	rep, err = st.Put(ctx, corpus[1:], nil)
	if err != nil || rep.Failed != 2 || rep.Added != 0 {
		t.Fatalf("put with the server down: %+v %v", rep, err)
	}
	if inf, _ := st.Info(ctx); inf.Articles != 1 || inf.Embedder != "ollama:m" {
		t.Fatalf("info %+v", inf)
	}
}
