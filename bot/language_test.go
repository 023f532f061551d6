package bot

import (
	"testing"
)

func TestNotEnglish(t *testing.T) {
	tests := []struct {
		q    string
		want bool
	}{
		// English, including foreign names and places.
		{"When will Zelensky visit Washington?", false},
		{"What did Meloni say about the budget?", false},
		{"Who is the président of the Banco de España?", false},
		{"What happened at the Bundestag in Berlin?", false},
		{"Was the dam reopened?", false},
		{"Hxyz!", false},
		{"GDP?", false},
		{"", false},
		{"2025?", false},
		// Other languages in Latin script.
		{"¿Qué dijo Meloni sobre el presupuesto?", true},
		{"¿Cuándo visitará Zelensky Washington?", true},
		{"What does ¡Hola! magazine say about the wedding?", false},
		{"Le Pen?", false},
		{"Quand est-ce que Zelensky va à Washington ?", true},
		{"Was hat Meloni über den Haushalt gesagt?", true},
		{"Cosa ha detto Meloni sulla manovra?", true},
		{"O que disse o presidente sobre a economia?", true},
		{"Wat zei de premier over het budget?", true},
		// Other scripts.
		{"Что сказал Зеленский?", true},
		{"泽连斯基什么时候访问华盛顿？", true},
		{"ماذا قال الرئيس؟", true},
		{"Τι είπε ο πρωθυπουργός;", true},
		{"Когда Zelensky посетит Washington?", true},
		{"What did Путин say in Москва?", false},
	}
	for _, tt := range tests {
		if got := NotEnglish(tt.q); got != tt.want {
			t.Errorf("NotEnglish(%q) = %v, want %v", tt.q, got, tt.want)
		}
	}
}
