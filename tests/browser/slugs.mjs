// Reads a JSON array of heading texts on stdin and prints the ids
// github-slugger gives them, in order, as a JSON array: the reference for
// kbgen's heading ids (tests/headings_slugger.rs).
import GithubSlugger from "github-slugger";

let input = "";
process.stdin.setEncoding("utf8");
for await (const chunk of process.stdin) input += chunk;
const slugger = new GithubSlugger();
const ids = JSON.parse(input).map((text) => slugger.slug(text));
process.stdout.write(JSON.stringify(ids));
