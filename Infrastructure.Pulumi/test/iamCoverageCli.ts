import "./mocks";
import { readFileSync } from "node:fs";
import { CoverageInput, evaluate } from "./iamCoverage";

/**
 * `node dist/test/iamCoverageCli.js input.json`: the coverage report for the calls in the file, as
 * JSON on stdout. Tests/Iam/IamCoverageTests.cs writes the file from the calls it recorded.
 */
async function main(): Promise<void> {
    const input = JSON.parse(readFileSync(process.argv[2], "utf8")) as CoverageInput;
    const report = await evaluate(input);
    process.stdout.write(JSON.stringify(report, null, 2) + "\n");
}

main().catch(error => {
    process.stderr.write(`${error?.stack ?? error}\n`);
    process.exit(1);
});
