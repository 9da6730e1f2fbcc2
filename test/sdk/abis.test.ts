/** sdk/core/abis.ts is generated from the build's artifacts and committed: it must match the contracts. */
import { readFile } from "node:fs/promises";

import { expect } from "chai";

import { ABIS_FILE, abisSource } from "../../scripts/write-abis.js";

describe("SDK ABIs", () => {
  it("match the compiled contracts (npm run abis rewrites them)", async () => {
    const committed = await readFile(ABIS_FILE, "utf8");
    expect(committed === abisSource(), "sdk/core/abis.ts is stale: run npm run abis and commit it").to.equal(true);
  });
});
