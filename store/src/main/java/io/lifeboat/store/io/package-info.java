/** Reading and writing volumes: bounded parallel tasks, and where a file holds data. */
package io.lifeboat.store.io;
