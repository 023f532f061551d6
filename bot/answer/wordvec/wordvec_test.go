package wordvec

import "testing"

func TestCosine(t *testing.T) {
	sim := func(a, b string) float64 {
		t.Helper()
		u, ok1 := Lookup(a)
		v, ok2 := Lookup(b)
		if !ok1 || !ok2 {
			t.Fatalf("Lookup(%q, %q): missing", a, b)
		}
		return Cosine(u, v)
	}
	if s := sim("said", "said"); s < 0.98 || s > 1.01 {
		t.Errorf("cosine of a word with itself = %.3f, want 1", s)
	}
	// Paraphrases sit well above unrelated words.
	for _, p := range [][2]string{{"kept", "stored"}, {"employ", "employs"}, {"invading", "invasion"}, {"banned", "suspended"}} {
		if s, far := sim(p[0], p[1]), sim(p[0], "banana"); s <= far+0.2 {
			t.Errorf("cosine(%q, %q) = %.2f, not clearly above cosine(%q, banana) = %.2f", p[0], p[1], s, p[0], far)
		}
	}
	if _, ok := Lookup("zzqxv"); ok {
		t.Error("Lookup of a made-up word succeeded")
	}
	if _, ok := Lookup("The"); ok {
		t.Error("Lookup is of lower-cased words; a capitalised one must miss")
	}
}

func BenchmarkLoad(b *testing.B) {
	for range b.N {
		load()
	}
}
