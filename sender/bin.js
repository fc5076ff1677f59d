#!/usr/bin/env node
// The bin npm links at install time, before the build exists: it runs the compiled sender.
require('./dist/sender/src/bin.js');
