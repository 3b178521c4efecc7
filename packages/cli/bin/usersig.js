#!/usr/bin/env node
// The published entry point: everything lives in dist/main.js (compiled from src/main.ts).
import '../dist/main.js'
