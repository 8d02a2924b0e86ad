// Starts fauxqs (SQS, SNS, S3) on 127.0.0.1 only. Its CLI and startFauxqs() listen on every
// interface, so the app is built with buildApp() and bound here instead. The process exits when
// its parent closes stdin, so an emulator never outlives the program that started it.
import { buildApp } from "fauxqs";

const port = Number(process.argv[2]);
const region = process.argv[3] ?? "us-east-1";
const app = buildApp({ logger: false, defaultRegion: region });
await app.listen({ port, host: "127.0.0.1" });
console.log(`fauxqs listening on 127.0.0.1:${port}`);

const stop = async () => {
  await app.close();
  process.exit(0);
};
process.stdin.on("end", stop);
process.stdin.on("close", stop);
process.stdin.resume();
process.on("SIGTERM", stop);
