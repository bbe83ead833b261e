import hljs from 'highlight.js/lib/core';
import bash from 'highlight.js/lib/languages/bash';
import c from 'highlight.js/lib/languages/c';
import diff from 'highlight.js/lib/languages/diff';
import dockerfile from 'highlight.js/lib/languages/dockerfile';
import elixir from 'highlight.js/lib/languages/elixir';
import erlang from 'highlight.js/lib/languages/erlang';
import go from 'highlight.js/lib/languages/go';
import http from 'highlight.js/lib/languages/http';
import ini from 'highlight.js/lib/languages/ini';
import javascript from 'highlight.js/lib/languages/javascript';
import json from 'highlight.js/lib/languages/json';
import makefile from 'highlight.js/lib/languages/makefile';
import nginx from 'highlight.js/lib/languages/nginx';
import plaintext from 'highlight.js/lib/languages/plaintext';
import protobuf from 'highlight.js/lib/languages/protobuf';
import python from 'highlight.js/lib/languages/python';
import rust from 'highlight.js/lib/languages/rust';
import shell from 'highlight.js/lib/languages/shell';
import sql from 'highlight.js/lib/languages/sql';
import typescript from 'highlight.js/lib/languages/typescript';
import yaml from 'highlight.js/lib/languages/yaml';

/**
 * highlight.js core with only the languages the course uses: the full build is ~900 KB and
 * would dominate the .vsix. Adding a language is one import and one entry here.
 */
const languages = { bash, c, diff, dockerfile, elixir, erlang, go, http, ini, javascript, json, makefile, nginx, plaintext, protobuf, python, rust, shell, sql, typescript, yaml };
for (const [name, lang] of Object.entries(languages)) hljs.registerLanguage(name, lang);
// Names authors reach for; `console` is a shell session with prompts, as on GitHub.
const aliases: Record<string, string> = { sh: 'bash', zsh: 'bash', console: 'shell', toml: 'ini', ex: 'elixir', exs: 'elixir', iex: 'elixir', rs: 'rust', ts: 'typescript', js: 'javascript', yml: 'yaml', text: 'plaintext', txt: 'plaintext', proto: 'protobuf', docker: 'dockerfile' };

export function canonicalLanguage(info: string): string | undefined {
  const name = info.toLowerCase();
  const resolved = aliases[name] ?? name;
  return hljs.getLanguage(resolved) ? resolved : undefined;
}

/** Highlighted HTML (already escaped by highlight.js) or undefined for an unknown language. */
export function highlight(code: string, language: string | undefined): string | undefined {
  if (!language) return undefined;
  return hljs.highlight(code, { language, ignoreIllegals: true }).value;
}
