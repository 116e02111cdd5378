// placeholder until the domain module lands
