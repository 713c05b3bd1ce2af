import { defineWorkflow } from '../app/engine/definition.ts';

/** The smallest workflow: a name, then a greeting suggested from it. */
export default defineWorkflow({
  id: 'hello',
  title: 'Hello',
  description: 'Say who you are, then choose how to be greeted.',
  steps: [
    {
      id: 'name',
      title: 'Your name',
      fields: [{ key: 'name', kind: 'text', label: 'Name', required: true, maxLength: 100 }],
    },
    {
      id: 'greeting',
      title: 'Greeting',
      description: 'Suggested from your name; change it if you like.',
      fields: [
        {
          key: 'greeting',
          kind: 'text',
          label: 'Greeting',
          required: true,
          default: ({ name }) => `Hello ${name}!`,
        },
      ],
    },
  ],
});
