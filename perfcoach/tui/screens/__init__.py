"""One module per screen; each calls the core and never writes SQL or runs labs itself."""
