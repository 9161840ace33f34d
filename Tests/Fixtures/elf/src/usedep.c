int dep(void);
int main(void) { return dep(); }
