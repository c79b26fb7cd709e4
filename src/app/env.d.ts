// Vite's client types: import.meta.env, asset imports.
/// <reference types="vite/client" />
