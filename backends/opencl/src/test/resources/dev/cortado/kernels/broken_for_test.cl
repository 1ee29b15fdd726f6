/* A kernel that does not compile, for the test that build errors carry the build log. */
__kernel void broken(__global float* out) {
    out[0] = undeclared_identifier_for_test;
}
