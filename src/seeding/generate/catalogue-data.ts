/**
 * The hand-written pt_BR category tree the catalogue generator draws from.
 *
 * Why hand-written: faker has no product taxonomy in Portuguese, and the crunch
 * (spend per category) only reads as real if the categories, titles and prices
 * look like a Brazilian store's ("Cosméticos → Cosméticos Profissionais →
 * Líquidos", tags such as "Gordura Localizada").
 *
 * Shape: top-level categories hold sub-categories; a node without `children`
 * is a leaf and carries the product nouns, an optional price range, optional
 * variants (sizes, capacities) and optional adjectives. A product's categories
 * are the path from the top to a leaf (2 or 3 names), optionally plus one of
 * its top-level category's tags, so 2–4 categories.
 *
 * Adjectives are chosen invariable in gender ("Profissional", "Premium") so
 * they agree with any noun. Brand names are made up.
 *
 * @module
 */

/** A price range in whole reais: [min, max). */
export type PriceRange = readonly [minReais: number, maxReais: number];

/** A category node; a node without `children` is a leaf that products hang from. */
export interface CategoryNode {
  /** The category's display name, unique among its siblings. */
  readonly name: string;
  /** Sub-categories; absent on leaves. */
  readonly children?: readonly CategoryNode[];
  /** Product nouns (the head of a title), on leaves. */
  readonly nouns?: readonly string[];
  /** Price range for this node's products; inherited from the nearest ancestor that has one. */
  readonly price?: PriceRange;
  /** Size/capacity/format suffixes for titles, on leaves. */
  readonly variants?: readonly string[];
  /** Adjectives replacing the top-level category's list for this leaf. */
  readonly adjectives?: readonly string[];
}

/** A top-level category: a node plus what its products share. */
export interface TopCategory extends CategoryNode {
  readonly children: readonly CategoryNode[];
  readonly price: PriceRange;
  /** Relative share of the catalogue's products. */
  readonly weight: number;
  /** Made-up brands (publishers for books). */
  readonly brands: readonly string[];
  /** Gender-invariable adjectives for titles. */
  readonly adjectives: readonly string[];
  /** Cross-cutting tags a product may carry as an extra category. */
  readonly tags: readonly string[];
  /** Sentences for descriptions. */
  readonly benefits: readonly string[];
}

/** The store's category tree. At least 8 top-level categories (11 here). */
export const CATEGORY_TREE: readonly TopCategory[] = [
  {
    name: 'Cosméticos',
    weight: 1.2,
    price: [15, 300],
    brands: ['Belíssima', 'Natuflora', 'Dermavita', 'Lumière Brasil', 'Acqua Bella', 'Rosa Mística', 'Essenza', 'Pele Pura'],
    adjectives: ['Profissional', 'Hidratante', 'Premium', 'Antioxidante', 'Revitalizante', 'Sem Parabenos', 'Calmante'],
    tags: ['Gordura Localizada', 'Anti-idade', 'Cruelty Free', 'Pele Oleosa', 'Hidratação Intensa'],
    benefits: [
      'Fórmula desenvolvida para uso profissional e doméstico.',
      'Textura leve, de rápida absorção e sem efeito oleoso.',
      'Dermatologicamente testado.',
      'Enriquecido com vitamina E e ativos naturais.',
      'Resultados visíveis a partir das primeiras aplicações.',
      'Não testado em animais.',
    ],
    children: [
      {
        name: 'Cosméticos Profissionais',
        children: [
          {
            name: 'Líquidos',
            nouns: ['Sérum Facial', 'Tônico Facial', 'Loção Redutora', 'Óleo de Massagem', 'Fluido Drenante'],
            price: [25, 180],
            variants: ['30 ml', '120 ml', '250 ml', '500 ml', '1 L'],
          },
          {
            name: 'Cremes',
            nouns: ['Creme Redutor', 'Creme Massageador', 'Gel Crioterápico', 'Máscara Facial', 'Creme Firmador'],
            price: [30, 220],
            variants: ['250 g', '500 g', '1 kg'],
          },
          { name: 'Acessórios Profissionais', nouns: ['Manta Térmica', 'Espátula de Aplicação', 'Pincel de Máscara', 'Touca Térmica'], price: [15, 350] },
        ],
      },
      {
        name: 'Maquiagem',
        children: [
          { name: 'Rosto', nouns: ['Base Líquida', 'Corretivo', 'Pó Compacto', 'Blush', 'Primer Facial'], price: [20, 160] },
          { name: 'Olhos', nouns: ['Máscara de Cílios', 'Delineador', 'Paleta de Sombras', 'Lápis de Olho'], price: [15, 180] },
          { name: 'Lábios', nouns: ['Batom Matte', 'Gloss Labial', 'Lápis de Boca', 'Batom Líquido'], price: [12, 90] },
        ],
      },
      {
        name: 'Cabelos',
        children: [
          { name: 'Shampoos', nouns: ['Shampoo', 'Shampoo Antirresíduo', 'Shampoo a Seco'], price: [15, 120], variants: ['250 ml', '300 ml', '1 L'] },
          { name: 'Tratamento Capilar', nouns: ['Máscara Capilar', 'Óleo Capilar', 'Leave-in', 'Ampola de Tratamento'], price: [18, 150] },
        ],
      },
      {
        name: 'Perfumaria',
        nouns: ['Perfume', 'Deo Colônia', 'Body Splash', 'Eau de Parfum'],
        price: [40, 600],
        variants: ['30 ml', '50 ml', '75 ml', '100 ml'],
      },
    ],
  },
  {
    name: 'Eletrônicos',
    weight: 1.2,
    price: [30, 9000],
    brands: ['Voltrix', 'Sonora', 'Nexo', 'Kaiju', 'Vértice', 'Aurora Tech', 'Pulsar'],
    adjectives: ['Premium', 'Original', 'Ultra', 'Pro', 'Max', 'Lite', 'Plus'],
    tags: ['Lançamento', 'Bluetooth', 'Mais Vendidos', 'Bivolt'],
    benefits: [
      'Garantia de 12 meses do fabricante.',
      'Produto homologado pela Anatel.',
      'Design moderno e acabamento premium.',
      'Bateria de longa duração.',
      'Compatível com Android e iOS.',
      'Nota fiscal e envio para todo o Brasil.',
    ],
    children: [
      {
        name: 'Celulares e Smartphones',
        children: [
          { name: 'Smartphones', nouns: ['Smartphone', 'Celular'], price: [700, 7000], variants: ['64 GB', '128 GB', '256 GB', '512 GB'] },
          { name: 'Capas e Películas', nouns: ['Capa Protetora', 'Película de Vidro', 'Capa Carteira', 'Película de Privacidade'], price: [15, 90] },
          { name: 'Carregadores', nouns: ['Carregador Turbo', 'Cabo USB-C', 'Carregador Portátil', 'Carregador Sem Fio'], price: [30, 250] },
        ],
      },
      {
        name: 'TV e Vídeo',
        children: [
          {
            name: 'Televisores',
            nouns: ['Smart TV', 'TV LED 4K'],
            price: [1200, 9000],
            variants: ['32 polegadas', '43 polegadas', '50 polegadas', '55 polegadas', '65 polegadas'],
          },
          { name: 'Streaming', nouns: ['Streaming Box', 'Controle Remoto Universal', 'Suporte de Parede'], price: [40, 600] },
        ],
      },
      {
        name: 'Áudio',
        children: [
          { name: 'Fones de Ouvido', nouns: ['Fone Bluetooth', 'Headset', 'Fone Intra-auricular', 'Fone com Cancelamento de Ruído'], price: [50, 1500] },
          { name: 'Caixas de Som', nouns: ['Caixa de Som Bluetooth', 'Soundbar', 'Caixa Amplificada'], price: [120, 3000] },
        ],
      },
      { name: 'Câmeras e Drones', nouns: ['Câmera de Ação', 'Drone', 'Câmera de Segurança Wi-Fi'], price: [150, 6000] },
    ],
  },
  {
    name: 'Informática',
    weight: 1.0,
    price: [25, 12000],
    brands: ['Bytecraft', 'Orion', 'Quantix', 'Teknos', 'Nexo', 'Vértice'],
    adjectives: ['Pro', 'Ultra', 'Essencial', 'Gamer', 'Slim', 'Plus'],
    tags: ['Home Office', 'Gamer', 'Custo-benefício'],
    benefits: [
      'Ideal para trabalho, estudo e entretenimento.',
      'Instalação simples, plug and play.',
      'Alto desempenho com baixo consumo de energia.',
      'Garantia de 12 meses do fabricante.',
      'Compatível com Windows, macOS e Linux.',
    ],
    children: [
      {
        name: 'Notebooks',
        nouns: ['Notebook', 'Ultrabook', 'Notebook Gamer'],
        price: [2000, 12000],
        variants: ['8 GB RAM 256 GB SSD', '16 GB RAM 512 GB SSD', '32 GB RAM 1 TB SSD'],
      },
      {
        name: 'Periféricos',
        children: [
          { name: 'Mouses', nouns: ['Mouse Sem Fio', 'Mouse Gamer', 'Mouse Vertical'], price: [30, 450] },
          { name: 'Teclados', nouns: ['Teclado Mecânico', 'Teclado Sem Fio', 'Kit Teclado e Mouse'], price: [60, 900] },
          {
            name: 'Monitores',
            nouns: ['Monitor LED', 'Monitor Gamer', 'Monitor Ultrawide'],
            price: [600, 4500],
            variants: ['21,5 polegadas', '24 polegadas', '27 polegadas', '34 polegadas'],
          },
        ],
      },
      {
        name: 'Componentes',
        children: [
          {
            name: 'Armazenamento',
            nouns: ['SSD', 'HD Externo', 'Pendrive', 'Cartão de Memória'],
            price: [30, 1200],
            variants: ['64 GB', '128 GB', '256 GB', '512 GB', '1 TB', '2 TB'],
          },
          { name: 'Hardware', nouns: ['Memória RAM', 'Processador', 'Placa de Vídeo', 'Fonte ATX', 'Placa-mãe'], price: [150, 6000] },
        ],
      },
    ],
  },
  {
    name: 'Casa e Decoração',
    weight: 1.1,
    price: [20, 1500],
    brands: ['Lar Doce', 'Casa Viva', 'Aconchego', 'Bella Cozinha', 'Ferro & Fogo', 'Estilo Casa'],
    adjectives: ['Premium', 'Gourmet', 'Essencial', 'Elegance', 'Colonial', 'Versátil'],
    tags: ['Presente', 'Sala de Estar', 'Minimalista', 'Sustentável'],
    benefits: [
      'Material resistente e de fácil limpeza.',
      'Combina com diferentes estilos de decoração.',
      'Acabamento artesanal.',
      'Ideal para presentear.',
      'Produto com excelente durabilidade.',
    ],
    children: [
      {
        name: 'Cozinha',
        children: [
          {
            name: 'Utensílios',
            nouns: ['Jogo de Panelas', 'Frigideira Antiaderente', 'Conjunto de Facas', 'Tábua de Corte', 'Jogo de Pratos'],
            price: [40, 900],
          },
          {
            name: 'Eletroportáteis',
            nouns: ['Air Fryer', 'Liquidificador', 'Cafeteira', 'Batedeira', 'Sanduicheira'],
            price: [100, 1200],
            variants: ['110 V', '220 V'],
          },
        ],
      },
      {
        name: 'Cama, Mesa e Banho',
        children: [
          { name: 'Cama', nouns: ['Jogo de Lençol', 'Edredom', 'Travesseiro', 'Colcha'], price: [60, 600], variants: ['Solteiro', 'Casal', 'Queen', 'King'] },
          { name: 'Banho', nouns: ['Jogo de Toalhas', 'Toalha de Banho', 'Roupão', 'Tapete de Banheiro'], price: [30, 350] },
        ],
      },
      { name: 'Decoração', nouns: ['Quadro Decorativo', 'Vaso', 'Luminária', 'Espelho', 'Almofada'], price: [30, 500] },
    ],
  },
  {
    name: 'Esporte e Lazer',
    weight: 0.9,
    price: [20, 5000],
    brands: ['Atleta Pro', 'Vento Sul', 'Trilha', 'Impulso', 'Garra', 'Ultra Fit'],
    adjectives: ['Profissional', 'Resistente', 'Leve', 'Pro', 'Performance', 'Outdoor'],
    tags: ['Treino em Casa', 'Ao Ar Livre', 'Gordura Localizada'],
    benefits: [
      'Desenvolvido para alto desempenho.',
      'Material leve e resistente.',
      'Indicado para iniciantes e atletas.',
      'Ótimo para treinos em casa ou na academia.',
      'Ergonomia pensada para o uso prolongado.',
    ],
    children: [
      {
        name: 'Fitness e Musculação',
        children: [
          { name: 'Acessórios de Treino', nouns: ['Halter', 'Kettlebell', 'Faixa Elástica', 'Tapete de Yoga', 'Corda de Pular'], price: [20, 450] },
          { name: 'Aparelhos', nouns: ['Bicicleta Ergométrica', 'Esteira Elétrica', 'Estação de Musculação', 'Banco Supino'], price: [400, 5000] },
        ],
      },
      {
        name: 'Ciclismo',
        children: [
          { name: 'Bicicletas', nouns: ['Bicicleta Aro 29', 'Bicicleta Urbana', 'Bicicleta Infantil'], price: [500, 5000] },
          { name: 'Acessórios para Ciclismo', nouns: ['Capacete', 'Luva de Ciclismo', 'Farol de LED', 'Bomba de Ar'], price: [30, 400] },
        ],
      },
      {
        name: 'Camping e Pesca',
        children: [
          { name: 'Camping', nouns: ['Barraca', 'Saco de Dormir', 'Lanterna', 'Cadeira Dobrável'], price: [50, 1200] },
          { name: 'Pesca', nouns: ['Vara de Pesca', 'Molinete', 'Caixa de Pesca'], price: [60, 900] },
        ],
      },
      { name: 'Futebol', nouns: ['Bola de Futebol', 'Chuteira', 'Caneleira', 'Luva de Goleiro'], price: [40, 800] },
    ],
  },
  {
    name: 'Moda',
    weight: 1.2,
    price: [30, 900],
    brands: ['Maré Alta', 'Urbana', 'Linho & Co.', 'Bossa', 'Cais', 'Vila Rica'],
    adjectives: ['Casual', 'Fashion', 'Comfort', 'Essencial', 'Vintage', 'Premium'],
    tags: ['Verão', 'Inverno', 'Plus Size', 'Liquidação'],
    benefits: [
      'Modelagem confortável para o dia a dia.',
      'Tecido macio e de alta qualidade.',
      'Tendência da estação.',
      'Fácil de combinar.',
      'Produção nacional.',
    ],
    children: [
      {
        name: 'Feminino',
        children: [
          {
            name: 'Roupas Femininas',
            nouns: ['Vestido', 'Blusa', 'Calça Jeans', 'Saia', 'Jaqueta'],
            price: [40, 400],
            variants: ['Tamanho P', 'Tamanho M', 'Tamanho G', 'Tamanho GG'],
          },
          {
            name: 'Calçados Femininos',
            nouns: ['Sandália', 'Tênis', 'Sapatilha', 'Bota'],
            price: [60, 500],
            variants: ['Tamanho 34', 'Tamanho 35', 'Tamanho 36', 'Tamanho 37', 'Tamanho 38'],
          },
        ],
      },
      {
        name: 'Masculino',
        children: [
          {
            name: 'Roupas Masculinas',
            nouns: ['Camiseta', 'Camisa Polo', 'Bermuda', 'Calça Chino', 'Moletom'],
            price: [40, 350],
            variants: ['Tamanho P', 'Tamanho M', 'Tamanho G', 'Tamanho GG'],
          },
          {
            name: 'Calçados Masculinos',
            nouns: ['Tênis', 'Sapatênis', 'Chinelo', 'Bota'],
            price: [40, 600],
            variants: ['Tamanho 39', 'Tamanho 40', 'Tamanho 41', 'Tamanho 42', 'Tamanho 43'],
          },
        ],
      },
      { name: 'Acessórios', nouns: ['Relógio', 'Óculos de Sol', 'Bolsa', 'Mochila', 'Carteira', 'Cinto'], price: [40, 900] },
    ],
  },
  {
    name: 'Alimentos e Bebidas',
    weight: 0.9,
    price: [5, 400],
    brands: ['Sabor da Serra', 'Fazenda Boa Vista', 'Grão Nobre', 'Vale Verde', 'Empório Mineiro', 'Terroir Gaúcho'],
    adjectives: ['Gourmet', 'Tradicional', 'Especial', 'Artesanal', 'Premium', 'Natural'],
    tags: ['Sem Glúten', 'Orgânico', 'Zero Açúcar', 'Presente'],
    benefits: [
      'Produzido com ingredientes selecionados.',
      'Sabor marcante e aroma intenso.',
      'Embalagem que preserva o frescor.',
      'Produto nacional de pequenos produtores.',
      'Sem conservantes artificiais.',
    ],
    children: [
      {
        name: 'Mercearia',
        children: [
          { name: 'Café e Chás', nouns: ['Café em Grãos', 'Café Moído', 'Cápsulas de Café', 'Chá'], price: [10, 90], variants: ['250 g', '500 g', '1 kg'] },
          { name: 'Doces e Snacks', nouns: ['Chocolate', 'Barra de Cereal', 'Biscoito', 'Castanhas', 'Doce de Leite'], price: [5, 60] },
        ],
      },
      {
        name: 'Bebidas',
        children: [
          { name: 'Vinhos', nouns: ['Vinho Tinto', 'Vinho Branco', 'Espumante', 'Vinho Rosé'], price: [35, 400], variants: ['750 ml', '1,5 L'] },
          { name: 'Cervejas Especiais', nouns: ['Cerveja IPA', 'Cerveja Pilsen', 'Kit Cervejas', 'Cerveja Weiss'], price: [10, 150] },
        ],
      },
      { name: 'Orgânicos', nouns: ['Mel', 'Azeite Extravirgem', 'Granola', 'Arroz Integral'], price: [12, 120] },
    ],
  },
  {
    name: 'Brinquedos',
    weight: 0.8,
    price: [20, 4500],
    brands: ['Brincar+', 'Pipoca', 'Mundo Mágico', 'Tico-Tico', 'Galáxia Kids'],
    adjectives: ['Musical', 'Infantil', 'Deluxe', 'Especial', 'Gigante'],
    tags: ['Dia das Crianças', 'Educativo', 'A partir de 3 anos'],
    benefits: [
      'Estimula a criatividade e a coordenação motora.',
      'Certificado pelo Inmetro.',
      'Peças atóxicas e resistentes.',
      'Diversão para toda a família.',
    ],
    children: [
      {
        name: 'Jogos',
        children: [
          { name: 'Jogos de Tabuleiro', nouns: ['Jogo de Tabuleiro', 'Quebra-cabeça', 'Jogo de Cartas'], price: [30, 350] },
          { name: 'Games', nouns: ['Console', 'Controle Sem Fio', 'Volante Gamer', 'Headset Gamer'], price: [150, 4500] },
        ],
      },
      { name: 'Bonecos e Bonecas', nouns: ['Boneca', 'Boneco de Ação', 'Pelúcia', 'Casinha de Bonecas'], price: [30, 300] },
      { name: 'Primeira Infância', nouns: ['Chocalho', 'Mordedor', 'Brinquedo Educativo', 'Tapete de Atividades'], price: [20, 300] },
    ],
  },
  {
    name: 'Livros',
    weight: 0.7,
    price: [15, 250],
    brands: ['Editora Aurora', 'Editora Ipê', 'Casa das Letras', 'Editora Farol', 'Selo Jabuticaba'],
    adjectives: ['Edição Especial', 'Edição Ampliada', 'Edição Comemorativa', 'Volume Único', 'Nova Edição'],
    tags: ['Best-seller', 'Lançamento', 'Edição de Colecionador'],
    benefits: [
      'Um dos títulos mais comentados do ano.',
      'Tradução revisada e notas inéditas.',
      'Leitura envolvente do começo ao fim.',
      'Recomendado por clubes de leitura de todo o país.',
    ],
    children: [
      {
        name: 'Literatura',
        children: [
          {
            name: 'Romance',
            nouns: ['Romance Policial', 'Romance Histórico', 'Romance Contemporâneo'],
            price: [30, 90],
            variants: ['Capa Comum', 'Capa Dura'],
          },
          {
            name: 'Fantasia e Ficção Científica',
            nouns: ['Saga de Fantasia', 'Ficção Científica', 'Box de Fantasia'],
            price: [35, 250],
            variants: ['Capa Comum', 'Capa Dura'],
          },
        ],
      },
      {
        name: 'Não Ficção',
        children: [
          { name: 'Autoajuda', nouns: ['Livro de Autoajuda', 'Guia de Produtividade', 'Livro de Meditação'], price: [25, 80] },
          { name: 'Negócios', nouns: ['Livro de Finanças Pessoais', 'Livro de Empreendedorismo', 'Livro de Liderança'], price: [35, 120] },
        ],
      },
      { name: 'Infantojuvenil', nouns: ['Livro Ilustrado', 'Livro Infantil', 'Gibi', 'Mangá'], price: [15, 120] },
    ],
  },
  {
    name: 'Saúde e Bem-estar',
    weight: 0.9,
    price: [8, 600],
    brands: ['VitaMais', 'NutriForte', 'Equilíbrio', 'Bem Viver', 'Essencial Nutri'],
    adjectives: ['Premium', 'Original'],
    tags: ['Gordura Localizada', 'Ganho de Massa', 'Imunidade', 'Vegano'],
    benefits: [
      'Produto aprovado pela Anvisa.',
      'Consulte um profissional de saúde antes de usar.',
      'Fórmula livre de glúten e lactose.',
      'Ajuda a manter uma rotina saudável.',
    ],
    children: [
      {
        name: 'Suplementos',
        children: [
          {
            name: 'Proteínas',
            nouns: ['Whey Protein', 'Proteína Vegetal', 'Albumina', 'Creatina'],
            price: [60, 350],
            variants: ['300 g', '900 g', '1 kg', '2 kg'],
            adjectives: ['Sabor Chocolate', 'Sabor Baunilha', 'Sabor Morango', 'Sem Sabor'],
          },
          {
            name: 'Vitaminas',
            nouns: ['Vitamina C', 'Vitamina D', 'Ômega 3', 'Multivitamínico', 'Colágeno'],
            price: [25, 150],
            variants: ['30 cápsulas', '60 cápsulas', '120 cápsulas'],
            adjectives: ['Alta Absorção', 'Natural', 'Premium'],
          },
          {
            name: 'Termogênicos',
            nouns: ['Termogênico', 'Cafeína', 'Chá Verde em Cápsulas'],
            price: [40, 180],
            variants: ['60 cápsulas', '120 cápsulas'],
            adjectives: ['Natural', 'Premium', 'Original'],
          },
        ],
      },
      {
        name: 'Cuidados Pessoais',
        children: [
          { name: 'Higiene Bucal', nouns: ['Escova Elétrica', 'Creme Dental', 'Fio Dental', 'Enxaguante Bucal'], price: [8, 400] },
          {
            name: 'Aparelhos de Saúde',
            nouns: ['Medidor de Pressão', 'Termômetro Digital', 'Balança Digital', 'Oxímetro'],
            price: [40, 400],
            adjectives: ['Portátil', 'Premium', 'Profissional'],
          },
        ],
      },
    ],
  },
  {
    name: 'Pet Shop',
    weight: 0.8,
    price: [5, 900],
    brands: ['Amigo Fiel', 'PetVida', 'Bicho Feliz', 'Miau & Au', 'Patinhas'],
    adjectives: ['Premium', 'Resistente', 'Ajustável', 'Confortável'],
    tags: ['Filhotes', 'Castrados', 'Porte Pequeno', 'Porte Grande'],
    benefits: [
      'Desenvolvido com orientação veterinária.',
      'Seu pet mais feliz e saudável.',
      'Material atóxico e seguro.',
      'Aprovado pelos tutores mais exigentes.',
    ],
    children: [
      {
        name: 'Cães',
        children: [
          {
            name: 'Ração para Cães',
            nouns: ['Ração', 'Ração Super Premium', 'Petisco', 'Bifinho'],
            price: [20, 350],
            variants: ['1 kg', '3 kg', '10,1 kg', '15 kg'],
            adjectives: ['Sabor Carne', 'Sabor Frango', 'Sabor Cordeiro', 'Natural'],
          },
          { name: 'Acessórios para Cães', nouns: ['Coleira', 'Guia Retrátil', 'Cama para Cães', 'Brinquedo Mordedor'], price: [20, 300] },
        ],
      },
      {
        name: 'Gatos',
        children: [
          {
            name: 'Ração para Gatos',
            nouns: ['Ração', 'Sachê', 'Petisco'],
            price: [5, 300],
            adjectives: ['Sabor Peixe', 'Sabor Frango', 'Sabor Salmão', 'Natural'],
          },
          { name: 'Areia e Higiene', nouns: ['Areia Higiênica', 'Caixa de Areia', 'Tapete Higiênico'], price: [15, 200] },
        ],
      },
      { name: 'Aquarismo', nouns: ['Aquário', 'Filtro para Aquário', 'Ração para Peixes'], price: [20, 900] },
    ],
  },
];
