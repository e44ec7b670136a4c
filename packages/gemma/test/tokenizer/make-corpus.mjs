/**
 * Writes corpus.txt, the tokenizer equality corpus (one case per line; the test also joins runs of lines with "\n").
 * Deterministic: a fixed seed, no clock. Run `node test/tokenizer/make-corpus.mjs` from packages/gemma after editing.
 */
import { writeFileSync } from "node:fs";
import { fileURLToPath } from "node:url";

let state = 0x9e3779b9;
/** mulberry32: a small seeded PRNG. */
function rand() {
  state = (state + 0x6d2b79f5) | 0;
  let t = Math.imul(state ^ (state >>> 15), 1 | state);
  t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
  return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
}
const int = (lo, hi) => lo + Math.floor(rand() * (hi - lo + 1));
const pick = (xs) => xs[int(0, xs.length - 1)];

const fixed = [
  "Hello world",
  " Hello world",
  "Hello world ",
  "  Hello   world  ",
  "The quick brown fox jumps over the lazy dog.",
  "THE QUICK BROWN FOX JUMPS OVER THE LAZY DOG!",
  "It's 3:45 p.m. on 2024-03-15; the temperature is -12.5°C (9.5°F).",
  "Prices: $1,234.56, €99.99, £0.50, ¥10000, ₹2,50,000",
  "Call +1 (555) 123-4567 or email john.doe+tag@example.co.uk",
  "https://www.example.com/path/to/page?query=value&x=1#fragment",
  "ftp://user:pass@host.example.org:2121/files/archive.tar.gz",
  "3.14159265358979323846264338327950288419716939937510",
  "1234567890 0987654321 1e10 6.022e23 0x1F 0b1010 0o777",
  "1,000,000 1.000.000 1 000 000 10^6 2**20",
  "\tindented with a tab",
  "\t\t\tthree tabs\tand\tinner\ttabs",
  "mixed \t \t whitespace \t\t  \t",
  "trailing tabs\t\t",
  "carriage\rreturn and\r\rtwo",
  "def fibonacci(n: int) -> int:",
  "    return n if n < 2 else fibonacci(n - 1) + fibonacci(n - 2)",
  "for (let i = 0; i < arr.length; i++) { sum += arr[i] * 2; }",
  // biome-ignore lint/suspicious/noTemplateCurlyInString: JavaScript source as corpus text
  "const x = async () => { await fetch(`/api/${id}`); };",
  'fn main() { println!("Hello, {}!", name); }',
  "impl<T: Clone + Send> Iterator for Foo<T> where T: 'static {}",
  "#include <stdio.h>",
  'int main(int argc, char **argv) { printf("%d\\n", argc); return 0; }',
  "func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) {",
  "SELECT id, name FROM users WHERE age >= 18 AND name LIKE '%son' ORDER BY id DESC;",
  '<div class="container"><p>Hello <b>world</b></p></div>',
  "<table><tr><td>1</td><td>2</td></tr></table>",
  "<h1>Title</h1><h2>Sub</h2><code>x = 1</code><blockquote>q</blockquote>",
  '{"key": "value", "list": [1, 2, 3], "nested": {"a": null, "b": true}}',
  "echo \"$HOME\" | grep -E '^/home/[a-z]+$' && ls -la ~/.config",
  "git commit -m 'fix: handle edge case' --amend --no-edit",
  "public static void main(String[] args) throws IOException {",
  "x = [i**2 for i in range(10) if i % 2 == 0]",
  "    # a comment with    spaces",
  "$$\\int_0^\\infty e^{-x^2} dx = \\frac{\\sqrt{\\pi}}{2}$$",
  "E = mc² ≠ ∑ᵢ xᵢ² ≤ ∞ ± √2 ∂f/∂x ∀x∈ℝ ∃y",
  "你好，世界！今天天气很好。",
  "机器学习是人工智能的一个分支。",
  "日本語のテキストです。ひらがな、カタカナ、漢字。",
  "東京は日本の首都です。",
  "한국어 텍스트입니다. 안녕하세요!",
  "مرحبا بالعالم! هذا نص باللغة العربية.",
  "السلام عليكم ورحمة الله وبركاته",
  "שלום עולם! זהו טקסט בעברית.",
  "नमस्ते दुनिया! यह हिंदी में पाठ है।",
  "संस्कृतम् भाषा अतीव प्राचीना।",
  "สวัสดีชาวโลก ภาษาไทยไม่มีช่องว่างระหว่างคำ",
  "Привет, мир! Это текст на русском языке.",
  "Γειά σου Κόσμε! Αυτό είναι ελληνικό κείμενο.",
  "Ελληνικά: αβγδεζηθικλμνξοπρστυφχψω",
  "Tiếng Việt có nhiều dấu: ă â đ ê ô ơ ư ạ ả ấ ầ ẩ ẫ ậ",
  "Zażółć gęślą jaźń. Příliš žluťoučký kůň.",
  "Ünïcödé äöü ß ÄÖÜ ẞ",
  "e\u0301 vs é, n\u0303 vs ñ, a\u030a vs å",
  "Zalgo: Z\u0351\u036b\u0343a\u0310\u0357l\u0346g\u0352o\u0308\u0301",
  "emoji: 😀😃😄😁😆😅😂🤣🥲☺️😊",
  "family: 👨‍👩‍👧‍👦 couple: 👩‍❤️‍👨 rainbow flag: 🏳️‍🌈",
  "skin tones: 👋🏻👋🏼👋🏽👋🏾👋🏿",
  "flags: 🇺🇸🇬🇧🇫🇷🇩🇪🇯🇵🇨🇳",
  "keycaps: 1️⃣2️⃣#️⃣*️⃣",
  "🤖 robots 🚀 rockets 🌍 earth 🔥 fire",
  "🧑‍💻👩🏽‍🔬🧑🏿‍🚀",
  "<start_of_turn>user Hello<end_of_turn>",
  "<start_of_turn>user",
  "<end_of_turn>",
  "<start_of_turn>model",
  "<bos><start_of_turn>user",
  "<bos>",
  "<eos>",
  "<pad>",
  "<unk>",
  "<mask>",
  "<2mass>",
  "[@BOS@]",
  "<unused0> <unused42> <unused98>",
  "<start_of_image>",
  "</s> <s> text </s>",
  "<start_of_turn",
  "start_of_turn>",
  "<<start_of_turn>>",
  "<end_of_turn><end_of_turn><end_of_turn>",
  "<start_of_turn>model Sure!<end_of_turn> <eos>",
  "text<bos>text<eos>text",
  " <bos> spaced <eos> ",
  "<0x41><0x00><0xFF>",
  "<BOS> <EOS> <Start_of_turn>",
  "[toxicity=0]",
  "\u0001\u0002\u0003\u0004\u0005\u0006\u0007\u0008\u000b\u000c\u000e\u000f",
  "\u001b[31mred\u001b[0m",
  "\u007f\u0080\u0081\u009f\u00a0\u00ad",
  "\ue000\ue001\uf8ff private use",
  "\ufffd replacement \ufffd\ufffd",
  "\ufeffBOM at start",
  "zero\u200bwidth\u200cnon\u200djoiner\u2060word",
  "\u2028line separator\u2029paragraph separator",
  "𝔘𝔫𝔦𝔠𝔬𝔡𝔢 𝕄𝕒𝕥𝕙 𝒮𝒸𝓇𝒾𝓅𝓉",
  "𠀀𠀁𠀂 𪚥 𰻞",
  "𓀀𓀁𓀂 𐌰𐌱𐌲 𒀀𒀁",
  "ℌ𝔢𝔩𝔩𝔬 ⅋ ℵ ℶ",
  "――――――――――",
  "....................................................................",
  "--------------------------------------------------------------------",
  "====================================================================",
  "********************************************************************",
  "____________________________________________________________________",
  "!!!???!!!???",
  "a",
  " ",
  "  ",
  "\t",
  "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa",
  "abababababababababababababababababababababababababababababababab",
  "ñññññññññññññññññññññññññññññ",
  "哈哈哈哈哈哈哈哈哈哈哈哈哈哈哈哈哈哈哈哈",
  "😂😂😂😂😂😂😂😂😂😂😂😂😂😂😂😂",
];

const words = (
  "the of and to in is that for it as was with be by on not he this are or his from at which but have an they you " +
  "were her she there been one all we their has would when if so no what up out who them some into can time more " +
  "model token tokenizer gemma edge inference latency throughput kernel matrix vector attention layer weights " +
  "running runner ran quickly unbelievable internationalization antidisestablishmentarianism supercalifragilistic " +
  "naïve café résumé façade coöperate jalapeño Zürich São Paulo Kraków Reykjavík"
).split(" ");
const cjk =
  "的一是不了人我在有他这中大来上个国到说们为子和你地出道也时年得就那要下以生会自着去之过家学对可她里后小么心多天而能好都然没日于起还发成事只作当想看文无开手十用主行方又如前所本见经头面公同三已老从动两长知民样现分将外但身些与高意进把法此实回二理美点月明其种声全工己话儿者向情部正名定女问力机给等几很业最间新什打便位因重被走电四第门相次东政海口使教西再平真听世气信北少关并内加化由却代军产入先山五太水万市眼体别处总才场师书比住员九笑性通目华报立马命张活难神数件安表原车白应路期叫死常提感金何更反合放做系计或司利受光王果亲界及今京务制解各任至清物台象记边共风战干接它许八特觉望直服毛林题建南度统色字请交爱让认算论百吃义科怎元社术结六功指思非流每青管夫连远资队跟带花快条院变联言权往展该领传近留红治决周保达办运武半候七必城父强步完革深区即求品士转量空甚众技轻程告江语英基派满式李息写呢识极令黄德收脸钱党倒未持取设始版双历越史商千片容研像找友孩站广改议形委早房音火际则首单据导影失拿网香似斯专石若兵弟谁校读志飞观争究包组造落视济喜离虽坏兴".split(
    "",
  );
const scripts = [
  [0x0041, 0x007a],
  [0x00c0, 0x024f],
  [0x0370, 0x03ff],
  [0x0400, 0x04ff],
  [0x0590, 0x05ff],
  [0x0600, 0x06ff],
  [0x0900, 0x097f],
  [0x0e00, 0x0e7f],
  [0x1100, 0x11ff],
  [0x3040, 0x30ff],
  [0x4e00, 0x9fff],
  [0xac00, 0xd7a3],
  [0x2000, 0x2bff],
  [0xe000, 0xf8ff],
  [0xfb00, 0xfffd],
  [0x10000, 0x1007f],
  [0x1d400, 0x1d7ff],
  [0x1f300, 0x1faff],
  [0x20000, 0x2a6df],
  [0xe0000, 0xe007f],
];
const specials = [
  "<start_of_turn>",
  "<end_of_turn>",
  "<bos>",
  "<eos>",
  "<pad>",
  "<unk>",
  "<mask>",
  "<unused7>",
  "<table>",
  "</s>",
  "<code>",
  "[@BOS@]",
];
const spaces = [" ", "  ", "   ", "\t", "\t\t", " \t", "\u3000", "\u00a0", "    ", "        "];

function randomCodePoint() {
  const [lo, hi] = pick(scripts);
  const cp = int(lo, hi);
  return String.fromCodePoint(cp >= 0xd800 && cp <= 0xdfff ? 0x41 : cp);
}

function line(kind) {
  switch (kind) {
    case 0: // words with varied whitespace and punctuation
      return Array.from(
        { length: int(3, 25) },
        () => pick(words) + (rand() < 0.15 ? pick([",", ".", "!", "?", ";", ":", "'s", "-"]) : ""),
      )
        .map((w, i) => (i === 0 ? w : pick(rand() < 0.8 ? [" "] : spaces) + w))
        .join("");
    case 1: // leading/trailing whitespace runs
      return `${" ".repeat(int(0, 12))}${pick(words)} ${pick(words)}${pick(spaces).repeat(int(0, 6))}`;
    case 2: // random code points across scripts, planes and byte-fallback territory
      return Array.from({ length: int(1, 40) }, randomCodePoint).join(rand() < 0.3 ? " " : "");
    case 3: // CJK runs
      return Array.from({ length: int(2, 60) }, () => pick(cjk)).join("") + pick(["。", "，", "！", "", "？"]);
    case 4: // numbers
      return Array.from(
        { length: int(1, 8) },
        () => String(int(0, 10 ** int(1, 12))) + pick(["", ".", ",", " ", "%", "e-3"]),
      ).join(pick([" ", "+", "-", "*", "/"]));
    case 5: // special tokens written in text, glued or spaced
      return Array.from({ length: int(1, 6) }, () => (rand() < 0.5 ? pick(specials) : pick(words))).join(
        pick(["", " ", "\t", "  "]),
      );
    case 6: // ASCII noise, control characters included
      return Array.from({ length: int(1, 50) }, () =>
        String.fromCharCode(rand() < 0.1 ? (int(1, 31) === 10 ? 9 : int(1, 31)) : int(32, 126)),
      ).join("");
    case 7: // identifiers and code-ish
      return `${pick(["let", "var", "const", "def", "fn", "int", "auto"])} ${pick(words)}_${pick(words)}${int(0, 99)} = ${pick(words)}.${pick(words)}(${int(0, 9)}, "${pick(words)}");${" ".repeat(int(0, 3))}`;
    case 8: // emoji with modifiers and joiners
      return Array.from({ length: int(1, 10) }, () => {
        const base = String.fromCodePoint(int(0x1f466, 0x1f469));
        const tone = rand() < 0.5 ? String.fromCodePoint(int(0x1f3fb, 0x1f3ff)) : "";
        return (
          base +
          tone +
          (rand() < 0.4 ? `\u200d${String.fromCodePoint(int(0x1f466, 0x1f469))}` : "") +
          (rand() < 0.2 ? "\ufe0f" : "")
        );
      }).join(pick(["", " "]));
    default: // repeated characters (long runs)
      return pick(["a", "b", " ", "\t", "-", "=", "0", "ab", "é", "中", "😀", "\u200d"]).repeat(int(2, 200));
  }
}

const generated = [];
for (let i = 0; i < 2400; i++) generated.push(line(i % 10));
const lines = [...fixed, ...generated].filter((l) => !l.includes("\n") && l.length > 0);
const out = fileURLToPath(new URL("corpus.txt", import.meta.url));
writeFileSync(out, `${lines.join("\n")}\n`);
console.log(`${lines.length} lines, ${Buffer.byteLength(lines.join("\n"))} bytes → ${out}`);
