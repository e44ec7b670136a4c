// The one driver every weight format's matmul goes through: rows [r0, r1) of Y (ntok × rows) = W · A,
// four weight rows per pass (they stay in L1 while every activation row of the batch goes by), then the tail.

export type Dot4 = (w: usize, rowBytes: usize, a: usize, cols: i32, y: usize) => void;
export type Dot1 = (w: usize, a: usize, cols: i32) => f32;

export function matmulRows(
  dot4: Dot4,
  dot1: Dot1,
  rowBytes: usize,
  aBytes: usize,
  w: usize,
  a: usize,
  y: usize,
  cols: i32,
  rows: i32,
  ntok: i32,
  r0: i32,
  r1: i32,
): void {
  let r = r0;
  for (; r + 4 <= r1; r += 4) {
    const wr = w + <usize>r * rowBytes;
    for (let t = 0; t < ntok; t++) {
      dot4(wr, rowBytes, a + <usize>t * aBytes, cols, y + (<usize>t * <usize>rows + <usize>r) * 4);
    }
  }
  for (; r < r1; r++) {
    const wr = w + <usize>r * rowBytes;
    for (let t = 0; t < ntok; t++) {
      store<f32>(y + (<usize>t * <usize>rows + <usize>r) * 4, dot1(wr, a + <usize>t * aBytes, cols));
    }
  }
}
