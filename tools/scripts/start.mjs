// @ts-check
/**
 * `npm start`: the main job. Until apps/mock-server exists (issue #3) it says so and exits 0.
 */
console.log(
  'EggAPI toolkit: the mock server (apps/mock-server) is not built yet; it arrives with the ' +
    'mock-server issue. Run `npm test` to check the contracts package.',
);
