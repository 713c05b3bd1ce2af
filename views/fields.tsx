// A field's control is drawn by its kind's module (app/fields/kinds/); this is the one entry point views use.
export { FieldControl } from '../app/fields/control.tsx';
