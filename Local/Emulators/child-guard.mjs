// Runs a command and kills it when this process's stdin closes (its parent exited, however it
// exited), so a JVM started for DynamoDB Local never outlives the program that started it.
import { spawn } from "node:child_process";

const [command, ...args] = process.argv.slice(2);
const child = spawn(command, args, { stdio: ["ignore", "inherit", "inherit"] });
const stop = () => {
  child.kill("SIGKILL");
  process.exit(0);
};
child.on("exit", (code) => process.exit(code ?? 1));
process.stdin.on("end", stop);
process.stdin.on("close", stop);
process.stdin.resume();
process.on("SIGTERM", stop);
