"""Bot judol: finds online-gambling injections on agency sites and follows findings until fixed."""
