/**
 * Block lookups by time (sdk/core/events.ts blocksAtTime): the blocks of one second, found by bisection over a
 * chain's block timestamps, which never decrease and may repeat (several blocks in one second on a local node).
 */
import { expect } from "chai";

import { blocksAtTime } from "../../../sdk/core/events.js";

/** A chain whose block n has timestamp `times[n]`, counting the blocks read. */
function chainOf(times: readonly number[]) {
  const chain = {
    reads: 0,
    getBlockNumber: () => Promise.resolve(times.length - 1),
    getBlock: (n: number) => {
      chain.reads++;
      const timestamp = times[n];
      return Promise.resolve(timestamp === undefined ? null : { timestamp });
    },
  };
  return chain;
}

/** The answer by reading every block. */
function scan(times: readonly number[], timestamp: number, fromBlock: number) {
  const at = times.map((t, n) => ({ t, n })).filter(({ t, n }) => n >= fromBlock && t === timestamp);
  return at.length === 0 ? undefined : { from: at[0]!.n, to: at.at(-1)!.n };
}

describe("blocksAtTime", () => {
  it("finds the blocks of a second, when several share it and when one has it alone", async () => {
    const times = [100, 101, 101, 101, 105, 106, 106, 110];
    expect(await blocksAtTime(chainOf(times), 101n, 0)).to.deep.equal({ from: 1, to: 3 });
    expect(await blocksAtTime(chainOf(times), 105n, 0)).to.deep.equal({ from: 4, to: 4 });
    expect(await blocksAtTime(chainOf(times), 110n, 0)).to.deep.equal({ from: 7, to: 7 });
    expect(await blocksAtTime(chainOf(times), 100n, 0)).to.deep.equal({ from: 0, to: 0 });
    // Not before fromBlock.
    expect(await blocksAtTime(chainOf(times), 101n, 2)).to.deep.equal({ from: 2, to: 3 });
  });

  it("gives an empty range for a second no block has, before the first block, or after the latest", async () => {
    const times = [100, 101, 105, 106];
    for (const t of [99n, 103n, 107n]) {
      const { from, to } = await blocksAtTime(chainOf(times), t, 0);
      expect(to).to.be.lessThan(from);
    }
  });

  it("agrees with a scan of every block on random chains, reading about 2·log2(n) blocks", async () => {
    let seed = 7;
    const random = (n: number) => {
      seed = (seed * 1_103_515_245 + 12_345) % 2 ** 31;
      return seed % n;
    };
    for (let run = 0; run < 200; run++) {
      const times: number[] = [];
      let t = 1_000;
      for (let n = 0, length = 1 + random(3_000); n < length; n++) times.push((t += random(3)));
      const fromBlock = random(times.length);
      const timestamp = times[random(times.length)]! + random(3) - 1;
      const chain = chainOf(times);
      const found = await blocksAtTime(chain, BigInt(timestamp), fromBlock);
      const expected = scan(times, timestamp, fromBlock);
      if (expected === undefined) expect(found.to).to.be.lessThan(found.from);
      else expect(found).to.deep.equal(expected);
      expect(chain.reads).to.be.at.most(2 * Math.ceil(Math.log2(times.length + 1)) + 2);
    }
  });
});
