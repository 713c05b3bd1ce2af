import assert from 'node:assert/strict';
import { writeFile } from 'node:fs/promises';
import { basename, join } from 'node:path';
import { test, type TestContext } from 'node:test';
import { pathToFileURL } from 'node:url';
import { checkWorkflow } from '../app/engine/check.ts';
import { discoverWorkflows, type Discovered } from '../app/engine/discover.ts';
import { ROOT, tempDir } from './support/app.ts';

const DEFINE = pathToFileURL(join(ROOT, 'app/engine/definition.ts')).href;

/** The text of a workflow file whose default export is `defineWorkflow(<body>)`. */
const workflowFile = (body: string) => `import { defineWorkflow } from ${JSON.stringify(DEFINE)};\n\nexport default defineWorkflow(${body});\n`;

/** A one-step workflow definition as source text; `fields` is the step's field list. */
const oneStep = (id: string, fields = `[{ key: 'a', kind: 'text', label: 'A' }]`) =>
  `{ id: '${id}', title: 'T ${id}', steps: [{ id: 'one', title: 'One', fields: ${fields} }] }`;

/**
 * Writes files into a fresh temp folder and discovers it. The folder is an ES module package, as workflows/ is;
 * every folder is new, so no import is served from Node's module cache.
 */
async function discover(t: TestContext, files: Record<string, string>): Promise<Discovered & { dir: string }> {
  const { dir, cleanup } = await tempDir('cardtrail-workflows-');
  t.after(cleanup);
  await writeFile(join(dir, 'package.json'), '{ "type": "module" }\n');
  for (const [name, text] of Object.entries(files)) await writeFile(join(dir, name), text);
  return { dir, ...(await discoverWorkflows(dir)) };
}

/** A file that does not parse: its second line ends the file in the middle of an object. */
const SYNTAX_ERROR = `export default { id: 'x',\n`;

/** Each broken file, what it holds, and what the report must say about it. */
const BROKEN: { file: string; text: string; problem: RegExp }[] = [
  {
    file: 'dup-step.ts',
    text: workflowFile(`{ id: 'dup-step', title: 'D', steps: [
      { id: 'same', title: 'One', fields: [{ key: 'a', kind: 'text', label: 'A' }] },
      { id: 'same', title: 'Two', fields: [{ key: 'b', kind: 'text', label: 'B' }] }] }`),
    problem: /step 2 \(same\): duplicate step id "same"/,
  },
  {
    file: 'bad-kind.ts',
    text: workflowFile(oneStep('bad-kind', `[{ key: 'a', kind: 'colour', label: 'A' }]`)),
    problem: /field "a": unknown field kind "colour" \(known: text, /,
  },
  {
    file: 'dup-key.ts',
    text: workflowFile(`{ id: 'dup-key', title: 'D', steps: [
      { id: 'one', title: 'One', fields: [{ key: 'city', kind: 'text', label: 'A' }] },
      { id: 'two', title: 'Two', fields: [{ key: 'city', kind: 'text', label: 'B' }] }] }`),
    problem: /step 2 \(two\), field "city": duplicate field key "city"/,
  },
  {
    file: 'no-options.ts',
    text: workflowFile(oneStep('no-options', `[{ key: 'pace', kind: 'select', label: 'Pace' }]`)),
    problem: /field "pace": a select field needs options/,
  },
  {
    file: 'throws.ts',
    text: `throw new Error('boom while importing');\nexport default {};\n`,
    problem: /^cannot be loaded: line 1: boom while importing$/,
  },
  {
    file: 'syntax.ts',
    text: SYNTAX_ERROR,
    problem: /^cannot be loaded: /,
  },
  {
    file: 'number.ts',
    text: `export default 42;\n`,
    problem: /default export is not a workflow object/,
  },
  {
    file: 'no-default.ts',
    text: `export const workflow = ${oneStep('no-default')};\n`,
    problem: /default export is not a workflow object/,
  },
  {
    file: 'z-twin.ts',
    text: workflowFile(oneStep('twin')),
    problem: /workflow id "twin" is already used by .*a-twin\.ts/,
  },
];

const GOOD: Record<string, string> = {
  'good.ts': workflowFile(oneStep('good')),
  'a-twin.ts': workflowFile(oneStep('twin')),
};

test('discoverWorkflows reports every broken file by name and why, and still loads the good ones', async (t) => {
  const found = await discover(t, {
    ...GOOD,
    ...Object.fromEntries(BROKEN.map((b) => [b.file, b.text])),
    'types.d.ts': 'export type X = number;\n',
    'README.md': 'not a workflow\n',
  });

  assert.deepEqual([...found.workflows.keys()].sort(), ['good', 'twin']);
  assert.equal(found.workflows.get('twin')?.file, join(basename(found.dir), 'a-twin.ts'));
  assert.deepEqual(found.workflows.get('good')?.steps.map((s) => s.id), ['one']);

  const reported = new Map(found.problems.map((p) => [p.file, p.problems]));
  assert.deepEqual([...reported.keys()].sort(), BROKEN.map((b) => join(basename(found.dir), b.file)).sort(), 'exactly the broken files');
  for (const { file, problem } of BROKEN) {
    const problems = reported.get(join(basename(found.dir), file))!;
    assert.ok(
      problems.some((p) => problem.test(p)),
      `${file}: expected a problem like ${problem}, got ${JSON.stringify(problems)}`,
    );
  }
});

test('a workflow’s version is a hash of its structure: wording and comments keep it, a changed field changes it', async (t) => {
  const text = workflowFile(oneStep('versioned'));
  const [first, same, edited] = await Promise.all(
    [text, text, text.replace("title: 'One'", "title: 'One, edited'")].map((body) => discover(t, { 'versioned.ts': body })),
  );
  const version = (d: Discovered) => d.workflows.get('versioned')!.version;
  assert.match(version(first), /^[0-9a-f]{16}$/);
  assert.equal(version(same), version(first), 'the same text in another folder has the same version');
  assert.equal(version(edited), version(first), 'a reworded title is not a new version');

  const commented = await discover(t, { 'versioned.ts': text + '// only a comment changed\n' });
  assert.equal(version(commented), version(first), 'a comment is not a new version');
  const kinds = await discover(t, { 'versioned.ts': text.replace("kind: 'text'", "kind: 'textarea'") });
  assert.notEqual(kinds.workflows.get('versioned')?.version ?? version(first), version(first), 'a field of another kind is a new version');
});

test('checkWorkflow accepts a sound workflow, including groups, choices and validators', () => {
  assert.deepEqual(
    checkWorkflow({
      id: 'sound-1',
      title: 'Sound',
      steps: [
        {
          id: 'only',
          title: 'Only',
          fields: [
            { key: 'who', kind: 'group', label: 'Who', fields: [{ key: 'name', kind: 'text', label: 'Name' }] },
            { key: 'name', kind: 'text', label: 'Top-level name', validate: () => undefined },
            { key: 'pick', kind: 'choices', label: 'Pick', options: ['a', { value: 'b', label: 'B' }] },
            { key: 'n', kind: 'number', label: 'N' },
          ],
        },
      ],
    }),
    [],
  );
});

test('checkWorkflow names each mistake', () => {
  const field = (f: object) => ({ id: 'wf', title: 'W', steps: [{ id: 's', title: 'S', fields: [f] }] });
  const cases: [string, unknown, RegExp][] = [
    ['null', null, /not a workflow object/],
    ['a string', 'hello', /not a workflow object/],
    ['a function', () => ({}), /not a workflow object/],
    ['a bad id', { id: 'Bad Id', title: 'W', steps: [{ id: 's', title: 'S', fields: [] }] }, /id "Bad Id" must be lowercase/],
    ['no title', { id: 'wf', steps: [{ id: 's', title: 'S', fields: [] }] }, /title is missing/],
    ['no steps', { id: 'wf', title: 'W', steps: [] }, /steps must be a non-empty list/],
    ['a step without fields', { id: 'wf', title: 'W', steps: [{ id: 's', title: 'S' }] }, /step 1 \(s\): fields must be a list/],
    ['a bad key', field({ key: 'has space', kind: 'text', label: 'L' }), /key must be letters, digits and _/],
    ['no label', field({ key: 'k', kind: 'text' }), /field "k": label is missing/],
    ['choices without options', field({ key: 'k', kind: 'choices', label: 'L', options: [] }), /a choices field needs options/],
    ['a group without fields', field({ key: 'k', kind: 'group', label: 'L' }), /a group needs fields/],
    ['a bad field inside a group', field({ key: 'g', kind: 'group', label: 'G', fields: [{ key: 'k', kind: 'nope', label: 'L' }] }), /field "g", field "k": unknown field kind "nope"/],
    ['a validate that is not a function', field({ key: 'k', kind: 'text', label: 'L', validate: 'yes' }), /validate must be a function/],
  ];
  for (const [name, value, problem] of cases) {
    const problems = checkWorkflow(value);
    assert.ok(
      problems.some((p) => problem.test(p)),
      `${name}: expected a problem like ${problem}, got ${JSON.stringify(problems)}`,
    );
  }
});

test('a file that does not parse is reported with the line and the reason', async (t) => {
  const found = await discover(t, { 'syntax-only.ts': SYNTAX_ERROR });
  assert.equal(found.problems.length, 1);
  const [problem] = found.problems[0].problems;
  assert.match(problem, /^cannot be loaded: /);
  assert.match(problem, /\bline 2: .*Expected/, `the line and the reason, got ${JSON.stringify(problem)}`);
});
