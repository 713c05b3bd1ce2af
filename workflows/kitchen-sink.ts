import { readFile } from 'node:fs/promises';
import { defineWorkflow } from '../app/engine/definition.ts';

const COLUMNS = ['id', 'title', 'url', 'status', 'depth', 'words', 'links in', 'links out', 'language', 'author', 'published', 'updated', 'size', 'type', 'score'];

/** Every field kind, a step asked only when it is needed, options derived from earlier values, and a job. */
export default defineWorkflow({
  id: 'kitchen-sink',
  title: 'Kitchen sink (every field kind)',
  description: 'Each kind of input once, a conditional step and a job that receives the secret and the file.',
  steps: [
    {
      id: 'basics',
      title: 'Basics',
      fields: [
        { key: 'name', kind: 'text', label: 'Name', required: true, maxLength: 80 },
        { key: 'bio', kind: 'textarea', label: 'About you', placeholder: 'A line or two' },
        { key: 'budget', kind: 'number', label: 'Budget in euros', min: 0, step: 0.5 },
        { key: 'depth', kind: 'integer', label: 'Depth', required: true, min: 1, max: 5, default: 2, help: 'Above 2 asks for the details step.' },
        { key: 'level', kind: 'range', label: 'Level', min: 0, max: 10, unit: 'of 10', default: 5 },
        { key: 'pace', kind: 'select', label: 'Pace', required: true, options: ['slow', 'steady', 'fast'], default: 'steady' },
        { key: 'size', kind: 'radio', label: 'Size', required: true, options: [{ value: 's', label: 'Small' }, { value: 'm', label: 'Medium' }, { value: 'l', label: 'Large' }] },
        { key: 'columns', kind: 'choices', label: 'Columns', required: true, options: COLUMNS, default: ['id', 'title'] },
        { key: 'agree', kind: 'checkbox', label: 'I agree to the terms', required: true },
        { key: 'dryRun', kind: 'switch', label: 'Dry run', on: 'Dry run only', off: 'For real' },
      ],
    },
    {
      id: 'times',
      title: 'Times',
      fields: [
        { key: 'start', kind: 'date', label: 'Start date', required: true, min: '2020-01-01', max: '2035-12-31' },
        { key: 'at', kind: 'time', label: 'At', min: '06:00', max: '22:00', default: '09:00' },
        { key: 'meeting', kind: 'datetime', label: 'Meeting' },
        {
          key: 'slot',
          kind: 'radio',
          label: 'Slot',
          required: true,
          // Options derived from an earlier value: deeper runs get the longer slots.
          options: ({ depth }) => (depth > 2 ? ['2 hours', 'half a day'] : ['30 minutes', '1 hour']),
        },
      ],
    },
    {
      id: 'links',
      title: 'Links',
      fields: [
        { key: 'site', kind: 'url', label: 'Web site', required: true },
        { key: 'contact', kind: 'email', label: 'Email', required: true, default: ({ name }) => `${name.toLowerCase().replace(/[^a-z0-9]+/g, '.')}@example.com` },
        { key: 'code', kind: 'pattern', label: 'Project code', pattern: /[A-Z]{3}-\d{3}/, message: 'three capitals, a dash and three digits, like ABC-123.', required: true },
        { key: 'config', kind: 'json', label: 'Settings (JSON)', default: { retries: 3 } },
      ],
    },
    {
      id: 'details',
      title: 'Details',
      description: 'Only for depth 3 and above.',
      when: ({ depth }) => depth > 2,
      skipReason: ({ depth }) => `depth is ${depth}, details are asked from depth 3`,
      fields: [
        {
          key: 'owner',
          kind: 'group',
          label: 'Owner',
          fields: [
            { key: 'ownerName', kind: 'text', label: 'Owner name', required: true },
            { key: 'team', kind: 'text', label: 'Team' },
          ],
        },
        {
          key: 'stops',
          kind: 'list',
          label: 'Stops',
          itemLabel: 'stop',
          min: 1,
          max: 5,
          fields: [
            { key: 'place', kind: 'text', label: 'Place', required: true },
            { key: 'nights', kind: 'integer', label: 'Nights', min: 1, default: 1 },
          ],
        },
      ],
    },
    {
      id: 'access',
      title: 'Access',
      fields: [
        { key: 'token', kind: 'secret', label: 'API token', required: true, minLength: 12, help: 'Kept in the data folder’s secrets file; never shown again.' },
        { key: 'keywords', kind: 'file', label: 'Keyword list', required: true, accept: ['.txt', '.csv', 'text/*'], maxSize: 64 * 1024 * 1024 },
      ],
    },
    {
      id: 'check',
      title: 'Check',
      description: 'A job that receives the real token and reads the file.',
      fields: [],
      results: { tokenLength: 'Token length', lines: 'Lines in the file' },
      run: async ({ params, progress, signal }) => {
        // A file field's value reaches the job with the path of the stored file; a secret with its real text.
        const file = params.keywords as { path?: string } | null;
        const text = file?.path ? await readFile(file.path, { encoding: 'utf8', signal }) : '';
        progress(1, 1, 'Read the file');
        return { tokenLength: String(params.token ?? '').length, lines: text ? text.split('\n').filter(Boolean).length : 0 };
      },
    },
  ],
});
