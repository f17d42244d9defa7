"""Citizens' pages, open to anyone: the SKM survey, the complaint form and a complaint's status."""
