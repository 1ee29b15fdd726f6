/**
 * The {@code cortado} command (picocli): {@code devices}, {@code train}, {@code eval}, {@code selftest} and
 * {@code bench}, with their options, progress display, metrics, plots and exit codes.
 */
package dev.cortado.cli;
