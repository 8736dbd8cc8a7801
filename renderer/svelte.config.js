// Read by @sveltejs/vite-plugin-svelte (vite root is renderer/) and by svelte-check.
/** @type {import('@sveltejs/vite-plugin-svelte').SvelteConfig} */
export default {
  compilerOptions: {
    // Every component uses runes ($props, $state); say so instead of relying on detection.
    runes: true,
  },
};
