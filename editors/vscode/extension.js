// A minimal VS Code client for `fzlint server` (docs/editors.md): starts the server over stdio
// for plain-text and Markdown documents; everything else (diagnostics, quick fixes, fix all,
// hover) is the Language Server Protocol.
const vscode = require("vscode");
const { LanguageClient } = require("vscode-languageclient/node");

let client;

async function start() {
  const cfg = vscode.workspace.getConfiguration("fzlint");
  const server = { command: cfg.get("path", "fzlint"), args: ["server", ...cfg.get("args", [])] };
  const documentSelector = ["file", "untitled"].flatMap((scheme) =>
    ["plaintext", "markdown"].map((language) => ({ scheme, language })),
  );
  client = new LanguageClient("fzlint", "fzlint", server, { documentSelector });
  await client.start();
}

async function activate(context) {
  context.subscriptions.push(
    vscode.workspace.onDidChangeConfiguration(async (event) => {
      if (event.affectsConfiguration("fzlint")) {
        await deactivate();
        await start();
      }
    }),
  );
  await start();
}

async function deactivate() {
  if (client) {
    const old = client;
    client = undefined;
    await old.stop();
  }
}

module.exports = { activate, deactivate };
