/* placeholder, replaced by the namespace-entry constructor */
void oar_nsenter_placeholder(void) {}
