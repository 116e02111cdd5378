// placeholder until the view logic lands
