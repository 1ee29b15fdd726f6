/**
 * Files that carry tensors: the safetensors format, which checkpoints are written in and PyTorch can read.
 */
package dev.cortado.io;
