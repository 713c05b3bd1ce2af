import { defineWorkflow } from '../app/engine/definition.ts';

/** The smallest workflow: a name, then a greeting suggested from it. */
export default defineWorkflow({
  id: 'hello',
  title: 'Hello',
  description: 'Say who you are, then choose how to be greeted.',
  help: 'Two steps: your **name**, then a **greeting** suggested from it.',
  steps: [
    {
      id: 'name',
      title: 'Your name',
      help: 'The name you want to be greeted by. It becomes part of the session\'s title.',
      fields: [{ key: 'name', kind: 'text', label: 'Name', required: true, maxLength: 100 }],
    },
    {
      id: 'greeting',
      title: 'Greeting',
      description: 'Suggested from your name; change it if you like.',
      help: 'The greeting is *suggested* from your name. If you change your name later, a greeting you typed yourself is kept, and the new suggestion is offered beside it.',
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
