/** The sender as a library: what the end-to-end tests and scripts use. */
export * from './deliveries';
export { main, helpText } from './main';
