import { defineWorkflow } from '../app/engine/definition.ts';

/** A short trip plan whose values are a list (the places) and a nested object (the traveller). */
export default defineWorkflow({
  id: 'trip',
  title: 'Plan a trip',
  description: 'Pick places, say who travels, and set a budget.',
  steps: [
    {
      id: 'places',
      title: 'Places',
      help: 'Choose one or more places and how many **days** the trip lasts. The budget later is suggested from the days.',
      fields: [
        {
          key: 'places',
          kind: 'choices',
          label: 'Places to visit',
          required: true,
          options: ['Lisbon', 'Porto', 'Madrid', 'Seville', 'Granada'],
        },
        { key: 'days', kind: 'number', label: 'Days', required: true, integer: true, min: 1, max: 60, default: 7 },
      ],
    },
    {
      id: 'traveller',
      title: 'Traveller',
      help: 'Who travels: a name, how many adults, and whether you want a rail pass.',
      fields: [
        {
          key: 'traveller',
          kind: 'group',
          label: 'Who travels',
          fields: [
            { key: 'name', kind: 'text', label: 'Name', required: true },
            { key: 'adults', kind: 'number', label: 'Adults', integer: true, min: 1, max: 9, required: true, default: 1 },
            { key: 'rail', kind: 'checkbox', label: 'Rail pass' },
          ],
        },
        { key: 'pace', kind: 'select', label: 'Pace', required: true, options: ['slow', 'steady', 'packed'], default: 'steady' },
      ],
    },
    {
      id: 'budget',
      title: 'Budget',
      help: 'Suggested as 120 euros per day per adult. It must be at least 30 euros per day.',
      fields: [
        {
          key: 'budget',
          kind: 'number',
          label: 'Budget in euros',
          required: true,
          min: 0,
          default: ({ days, traveller }) => days * 120 * traveller.adults,
          validate: (value, { days }) => (value < days * 30 ? `At least ${days * 30} euros for ${days} days.` : undefined),
        },
        { key: 'notes', kind: 'textarea', label: 'Notes', placeholder: 'Anything to remember' },
      ],
    },
  ],
});
