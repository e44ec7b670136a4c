/**
 * A binary max-heap of candidate merges ("bigrams") for the SentencePiece merger, in typed arrays so a long input
 * allocates a few growing buffers rather than an object per candidate. Order: higher score first, then the leftmost
 * (smaller left symbol index) — the order llama.cpp's `llm_bigram_spm::comparator` gives.
 */
export class BigramHeap {
  private score = new Float32Array(64);
  private left = new Int32Array(64);
  private right = new Int32Array(64);
  private size = new Int32Array(64);
  private length = 0;

  get isEmpty(): boolean {
    return this.length === 0;
  }

  /** Empties the heap and keeps its buffers. */
  clear(): void {
    this.length = 0;
  }

  push(score: number, left: number, right: number, size: number): void {
    if (this.length === this.score.length) this.grow();
    let i = this.length++;
    // Sift up: move parents down until the new entry's place is found.
    while (i > 0) {
      const p = (i - 1) >> 1;
      if (!this.before(score, left, this.score[p] as number, this.left[p] as number)) break;
      this.move(p, i);
      i = p;
    }
    this.set(i, score, left, right, size);
  }

  /** Removes the top entry and returns its [left, right, size] (through `out`). Call only when not empty. */
  pop(out: Int32Array): void {
    out[0] = this.left[0] as number;
    out[1] = this.right[0] as number;
    out[2] = this.size[0] as number;
    const last = --this.length;
    if (last === 0) return;
    const s = this.score[last] as number;
    const l = this.left[last] as number;
    const r = this.right[last] as number;
    const z = this.size[last] as number;
    let i = 0;
    for (;;) {
      let c = 2 * i + 1;
      if (c >= last) break;
      const c2 = c + 1;
      if (
        c2 < last &&
        this.before(this.score[c2] as number, this.left[c2] as number, this.score[c] as number, this.left[c] as number)
      )
        c = c2;
      if (!this.before(this.score[c] as number, this.left[c] as number, s, l)) break;
      this.move(c, i);
      i = c;
    }
    this.set(i, s, l, r, z);
  }

  private before(sa: number, la: number, sb: number, lb: number): boolean {
    return sa > sb || (sa === sb && la < lb);
  }

  private move(from: number, to: number): void {
    this.score[to] = this.score[from] as number;
    this.left[to] = this.left[from] as number;
    this.right[to] = this.right[from] as number;
    this.size[to] = this.size[from] as number;
  }

  private set(i: number, score: number, left: number, right: number, size: number): void {
    this.score[i] = score;
    this.left[i] = left;
    this.right[i] = right;
    this.size[i] = size;
  }

  private grow(): void {
    const n = this.score.length * 2;
    const score = new Float32Array(n);
    score.set(this.score);
    this.score = score;
    const left = new Int32Array(n);
    left.set(this.left);
    this.left = left;
    const right = new Int32Array(n);
    right.set(this.right);
    this.right = right;
    const size = new Int32Array(n);
    size.set(this.size);
    this.size = size;
  }
}
